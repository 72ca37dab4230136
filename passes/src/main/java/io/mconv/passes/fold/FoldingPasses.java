package io.mconv.passes.fold;

import io.mconv.passes.Pass;
import java.util.List;

/**
 * The constant- and shape-folding passes, in the order the registry runs them: Constant nodes become initializers
 * first so folding sees one kind of constant; shape folding feeds constant folding on the next round.
 */
public final class FoldingPasses {

    private FoldingPasses() {
    }

    public static List<Pass> all() {
        return List.of(new ConstantToInitializer(), new FoldConstants(), new FoldShapeSubgraphs(),
                new SimplifyReshapeShape());
    }
}
