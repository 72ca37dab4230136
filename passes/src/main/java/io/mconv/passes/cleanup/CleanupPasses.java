package io.mconv.passes.cleanup;

import io.mconv.passes.Pass;
import java.util.List;

/** The cleanup passes, in the order the registry runs them. */
public final class CleanupPasses {

    private CleanupPasses() {
    }

    public static List<Pass> all() {
        return List.of(new EliminateNoOps(), new DeduplicateInitializers(), new EliminateCommonSubexpressions(),
                new EliminateDeadCode());
    }
}
