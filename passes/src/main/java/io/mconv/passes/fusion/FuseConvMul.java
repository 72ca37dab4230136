package io.mconv.passes.fusion;

import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.List;
import java.util.Set;

/**
 * fuse-conv-mul: folds a multiplication by a per-output-channel constant into the Conv (or ConvTranspose) before it.
 *
 * <pre>
 * Before:  x ─► Conv(W, b) ─► t ─► Mul(t, s)   s: scalar, [C,1,1], [1,C,1,1], [1] ... ─► y
 * After:   x ─► Conv(W', b') ─► y              W'[o] = s[o]·W[o],  b'[o] = s[o]·b[o]
 * </pre>
 *
 * Correct because each output channel {@code o} of a conv is {@code W[o]∗x + b[o]}, linear in W[o] and b[o]. The
 * constant must broadcast along the channel axis only (every other dimension 1, rank at most the conv output's), so
 * the Mul neither reshapes nor enlarges the conv output. Refuses: a non-constant factor; a factor with any other
 * shape; a factor whose dtype differs from the weights; non-constant conv weights or bias; a conv output read
 * elsewhere or that is a graph output. Folded weights go into new initializers (shared weights stay untouched).
 * Subgraphs are rewritten like the main graph.
 */
public final class FuseConvMul extends FusionPass {

    public FuseConvMul() {
        super("fuse-conv-mul", "fold a per-channel constant Mul into the preceding Conv's weights and bias",
                OptimizationLevel.BASIC, false, List.of(new Rule()));
    }

    static final class Rule implements RewriteRule<ConvFolding.Match> {

        @Override
        public String name() {
            return "conv-mul";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Mul");
        }

        @Override
        public Check<ConvFolding.Match> check(Node mul, RuleContext ctx) {
            return ConvAddMul.check(mul, ctx, true);
        }

        @Override
        public void rewrite(ConvFolding.Match m, Rewriter rw) {
            ConvFolding.rewrite(m, rw);
        }
    }
}

/** The shared check of fuse-conv-add and fuse-conv-mul. */
final class ConvAddMul {

    private static final String NOT_CONSTANT = "the other operand is not constant";

    private ConvAddMul() {
    }

    static Check<ConvFolding.Match> check(Node root, RuleContext ctx, boolean multiply) {
        if (root.inputCount() != 2) {
            return Check.fail(root.opType() + " has " + root.inputCount() + " inputs");
        }
        Check.Fail<Node> lastFail = null;
        for (int side = 0; side < 2; side++) {
            Value convOut = root.input(side);
            Value operand = root.input(1 - side);
            if (convOut == operand) {
                return Check.fail("both inputs are the same value");
            }
            Check<Node> c = ConvFolding.checkConv(ctx, convOut, root);
            if (c instanceof Check.Fail<Node> f) {
                // A non-constant operand stops the fold whatever else does (a SiLU's Mul reads a shared Conv
                // output and a Sigmoid): say that, the same words for every such node.
                Check.Fail<Node> why = f.nearMiss() && FusionSupport.constant(operand) == null
                        ? new Check.Fail<>(NOT_CONSTANT, true) : f;
                if (lastFail == null || !lastFail.nearMiss()) {
                    lastFail = why; // keep the reason of a side that does come from a conv
                }
                continue;
            }
            Node conv = ((Check.Ok<Node>) c).match();
            Tensor w = FusionSupport.constant(conv.input(1));
            Tensor k = FusionSupport.constant(operand);
            if (k == null) {
                // no value name in the reason: every residual Add of a network is reported on one line
                return Check.fail(NOT_CONSTANT);
            }
            if (k.dataType() != w.dataType()) {
                return Check.fail("the constant is " + k.dataType() + " but the weights are " + w.dataType());
            }
            long channels = ConvFolding.outChannels(conv, w);
            double[] perChannel = FusionSupport.perChannel(k, w.rank(), 1, channels);
            if (perChannel == null) {
                return Check.fail("the constant's shape " + java.util.Arrays.toString(k.dims())
                        + " is not per-output-channel for " + channels + " channels at rank " + w.rank());
            }
            return Check.ok(multiply ? ConvFolding.match(conv, root, perChannel, null)
                    : ConvFolding.match(conv, root, null, perChannel));
        }
        return lastFail.as();
    }
}
