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
        // Duplicate constants merge first, so twin nodes read the same values and common-subexpression
        // elimination sees them; chains merge before twins are merged (a shared first step would block a chain);
        // dead-code elimination sweeps last.
        return List.of(new DeduplicateInitializers(), new EliminateNoOp(), new MergeChains(), new FusePadIntoConv(),
                new EliminateCommonSubexpressions(), new EliminateDeadCode());
    }
}
