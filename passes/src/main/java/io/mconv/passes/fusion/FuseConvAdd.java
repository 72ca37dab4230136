package io.mconv.passes.fusion;

import io.mconv.ir.Node;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.List;
import java.util.Set;

/**
 * fuse-conv-add: folds the addition of a per-output-channel constant into the bias of the Conv (or ConvTranspose)
 * before it.
 *
 * <pre>
 * Before:  x ─► Conv(W[, b]) ─► t ─► Add(t, c)   c: scalar, [C,1,1], [1,C,1,1], [1] ... ─► y
 * After:   x ─► Conv(W, b + c) ─► y
 * </pre>
 *
 * Correct because the bias is added per output channel after the convolution, so adding another per-channel
 * constant just changes the bias. The constant must broadcast along the channel axis only (every other dimension 1,
 * rank at most the conv output's). Refuses: a non-constant operand, any other shape, a dtype other than the
 * weights', a non-constant conv bias or weights, a conv output read elsewhere or that is a graph output. The new
 * bias is a new initializer; the weights are reused as they are. Subgraphs are rewritten like the main graph.
 */
public final class FuseConvAdd extends FusionPass {

    public FuseConvAdd() {
        super("fuse-conv-add", "fold a per-channel constant Add into the preceding Conv's bias",
                OptimizationLevel.BASIC, false, List.of(new Rule()));
    }

    static final class Rule implements RewriteRule<ConvFolding.Match> {

        @Override
        public String name() {
            return "conv-add";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Add");
        }

        @Override
        public Check<ConvFolding.Match> check(Node add, RuleContext ctx) {
            return ConvAddMul.check(add, ctx, false);
        }

        @Override
        public void rewrite(ConvFolding.Match m, Rewriter rw) {
            ConvFolding.rewrite(m, rw);
        }
    }
}
