package io.mconv.passes.cleanup;

import io.mconv.passes.Pass;
import java.util.List;

/** The cleanup passes, in the order the registry runs them. */
public final class CleanupPasses {

    private CleanupPasses() {
    }

    public static List<Pass> all() {
        // merge-chains before CSE: two equal chains collapse first, then CSE merges the results (after CSE the
        // shared first link would have two readers and block the merge).
        return List.of(new EliminateNoOps(), new MergeChains(), new FusePadIntoConv(), new DeduplicateInitializers(),
                new EliminateCommonSubexpressions(), new EliminateDeadCode());
    }
}
