package io.mconv.passes.fusion;

import io.mconv.ir.AttrKey;
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
 * fuse-conv-bn: folds an inference-mode BatchNormalization into the Conv (or ConvTranspose) before it.
 *
 * <pre>
 * Before:  x ─► Conv(W, b) ─► t ─► BatchNormalization(γ, β, mean, var, ε) ─► y
 * After:   x ─► Conv(W', b') ─► y       W'[o] = W[o]·γ[o]/√(var[o]+ε)
 *                                        b'[o] = (b[o] − mean[o])·γ[o]/√(var[o]+ε) + β[o]
 * </pre>
 *
 * Correct because inference BatchNormalization is the per-channel affine map {@code y = s·t + (β − s·mean)} with
 * {@code s = γ/√(var+ε)}, and a per-output-channel affine map folds into the conv's weights and bias (see
 * {@link ConvFolding}). Computed in double, stored once in the weight's dtype (float32, float64 or float16; other
 * dtypes are refused). Refuses: BatchNormalization in training mode, with more than one output, or with
 * {@code spatial=0} (old opsets); non-constant BN parameters or conv weights/bias; parameters whose length is not the
 * conv's output channel count; a conv output that is read elsewhere or is a graph output. Weights shared with other
 * nodes are left as they are: the folded values go into new initializers. Subgraphs: rewritten like the main
 * graph (the rule pass visits them); the conv must be in the same graph as the BatchNormalization.
 */
public final class FuseConvBn extends FusionPass {

    public FuseConvBn() {
        super("fuse-conv-bn", "fold BatchNormalization (inference) into the preceding Conv/ConvTranspose",
                OptimizationLevel.BASIC, false, List.of(new Rule()));
    }

    static final class Rule implements RewriteRule<ConvFolding.Match> {

        @Override
        public String name() {
            return "conv-bn";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("BatchNormalization");
        }

        @Override
        public Check<ConvFolding.Match> check(Node bn, RuleContext ctx) {
            if (bn.inputCount() != 5) {
                return Check.fail("BatchNormalization has " + bn.inputCount() + " inputs");
            }
            for (int i = 1; i < bn.outputCount(); i++) {
                if (bn.output(i) != null) {
                    return Check.fail("BatchNormalization has training outputs");
                }
            }
            if (bn.attrIfPresent(AttrKey.ofInt("training_mode")).orElse(0L) != 0) {
                return Check.fail("BatchNormalization is in training mode");
            }
            if (bn.attrIfPresent(AttrKey.ofInt("spatial")).orElse(1L) != 1) {
                return Check.fail("BatchNormalization has spatial=0 (per-element statistics)");
            }
            if (bn.attrIfPresent(AttrKey.ofInt("is_test")).orElse(1L) != 1) {
                return Check.fail("BatchNormalization has is_test=0");
            }
            Check<Node> c = ConvFolding.checkConv(ctx, bn.input(0), bn);
            if (c instanceof Check.Fail<Node> f) {
                return f.as();
            }
            Node conv = ((Check.Ok<Node>) c).match();
            long channels = ConvFolding.outChannels(conv, FusionSupport.constant(conv.input(1)));
            double[][] p = new double[4][];
            for (int i = 0; i < 4; i++) {
                Value v = bn.input(i + 1);
                Tensor t = FusionSupport.constant(v);
                if (t == null) {
                    return Check.fail("BatchNormalization parameter '" + (v == null ? "?" : v.name())
                            + "' is not constant");
                }
                if (!FusionSupport.isFloatType(t.dataType()) || t.rank() != 1 || t.elementCount() != channels) {
                    return Check.fail("BatchNormalization parameter '" + v.name() + "' is " + t.dataType() + " "
                            + java.util.Arrays.toString(t.dims()) + ", not " + channels + " channels");
                }
                p[i] = t.toDoubleArray();
            }
            double eps = bn.attr(AttrKey.ofFloat("epsilon"));
            double[] scale = new double[(int) channels];
            double[] shift = new double[(int) channels];
            for (int o = 0; o < scale.length; o++) {
                double s = p[0][o] / Math.sqrt(p[3][o] + eps);
                scale[o] = s;
                shift[o] = p[1][o] - p[2][o] * s;
            }
            return Check.ok(ConvFolding.match(conv, bn, scale, shift));
        }

        @Override
        public void rewrite(ConvFolding.Match m, Rewriter rw) {
            ConvFolding.rewrite(m, rw);
        }
    }
}
