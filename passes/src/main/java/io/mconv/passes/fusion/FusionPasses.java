package io.mconv.passes.fusion;

import io.mconv.passes.Pass;
import java.util.List;

/** The standard-op fusion passes, in the order the registry runs them. */
public final class FusionPasses {

    private FusionPasses() {
    }

    public static List<Pass> all() {
        return List.of();
    }
}
