package io.mconv.passes.fusion;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Usage;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * fuse-layer-norm: the decomposed layer normalization torch exports for a hand-written LayerNorm becomes one
 * LayerNormalization (opset 17 and later).
 *
 * <pre>
 * Before:  x ─► ReduceMean(axes=[-1]) ─► μ
 *          x, μ ─► Sub ─► d ─► Pow(d, 2) | Mul(d, d) ─► ReduceMean(axes=[-1]) ─► Add(·, ε) ─► Sqrt ─► σ
 *          d, σ ─► Div ─► n [─► Mul(n, γ)] [─► Add(·, β)] ─► y
 * After:   x ─► LayerNormalization(x, γ, β; axis=-1, epsilon=ε) ─► y
 * </pre>
 *
 * Correct because LayerNormalization over the last axis is exactly {@code (x − E[x]) / √(Var[x] + ε) · γ + β} with
 * the biased variance {@code E[(x − E[x])²]}, which is what the chain computes. Without γ the scale is ones, without
 * β the bias is omitted. ReduceMean's axes are read from the attribute (before opset 18) or the constant second
 * input (from 18); both must be the last axis only ({@code -1}, or {@code rank−1} when the rank is known), with
 * keepdims=1. γ and β must be constants that vary only along the last axis (leading dimensions 1, no more
 * dimensions than x), and when x's last dimension is known they must match it (a single value is repeated).
 * Refuses: an opset without LayerNormalization (asked of the schema registry); any intermediate (μ, d, d², the
 * variance, the Sqrt, n, n·γ) with another consumer or that is a graph output; a non-scalar or non-constant ε; an
 * input dtype other than float32 (the fused op computes its statistics in float32: for float16/bfloat16/float64 that
 * changes the rounding, so those are left alone). A Mul or Add after the Div whose operand is not a per-feature
 * constant is simply not absorbed. Shape inference runs first so ranks and the feature size are known. Subgraphs
 * are rewritten like the main graph; every matched node must be in the graph of the first ReduceMean.
 */
public final class FuseLayerNorm extends FusionPass {

    public FuseLayerNorm() {
        super("fuse-layer-norm", "fuse the decomposed ReduceMean/Sub/Pow/Sqrt/Div chain into LayerNormalization",
                OptimizationLevel.AGGRESSIVE, true, List.of(new Rule()));
    }

    /**
     * @param nodes the matched nodes, consumers first (for removal)
     * @param gamma per-feature scale values (null: use {@code gammaValue} as is, or ones when that is null too)
     */
    record Match(Node first, Value x, Value out, List<Node> nodes, double eps, long features,
                 Value gammaValue, boolean reuseGamma, Value betaValue, boolean reuseBeta, List<Value> constants) {
    }

    /** The reduction axes of a ReduceMean: the constant second input (opset 18+) or the attribute; null if neither. */
    static long[] reduceAxes(Node rm) {
        if (rm.inputCount() > 1 && rm.input(1) != null) {
            Tensor t = FusionSupport.constant(rm.input(1));
            return t == null ? null : t.toLongArray();
        }
        return rm.attrIfPresent(AttrKey.ofInts("axes")).orElse(null);
    }

    static final class Rule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "layer-norm";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("ReduceMean");
        }

        private static String lastAxisOnly(Node rm, Shape xs) {
            long[] axes = reduceAxes(rm);
            if (axes == null) {
                return "ReduceMean '" + rm.name() + "' has no constant axes";
            }
            if (rm.attrIfPresent(AttrKey.ofInt("keepdims")).orElse(1L) != 1) {
                return "ReduceMean '" + rm.name() + "' has keepdims=0";
            }
            boolean last = axes.length == 1 && (axes[0] == -1 || (xs != null && axes[0] == xs.rank() - 1));
            return last ? null : "ReduceMean axes " + Arrays.toString(axes) + " are not the last axis only";
        }

        @Override
        public Check<Match> check(Node rm1, RuleContext ctx) {
            if (!ctx.opsetHas("", "LayerNormalization")) {
                return Check.fail("LayerNormalization does not exist at opset " + ctx.defaultOpset());
            }
            Value x = rm1.input(0);
            Shape xs = x.shape();
            String r = lastAxisOnly(rm1, xs);
            if (r != null) {
                return Check.fail(r);
            }
            Value mean = rm1.output(0);
            Node sub = FusionSupport.soleConsumer(ctx, mean, "Sub");
            if (sub == null || sub.input(0) != x || sub.input(1) != mean) {
                return Check.fail("the mean is not read only by Sub(x, mean)");
            }
            Value d = sub.output(0);
            if (d.isGraphOutput()) {
                return Check.fail("the centred value '" + d.name() + "' is a graph output");
            }
            Node square = null;
            Node div = null;
            List<Usage> uses = d.uses();
            for (Usage u : uses) {
                Node n = u.node();
                if (n.graph() != ctx.graph() || !n.isDefaultDomain()) {
                    return Check.fail("the centred value is read by " + n);
                }
                if (n.opType().equals("Pow") && u.inputIndex() == 0 && FusionSupport.scalarIs(n.input(1), 2, 1e-6)) {
                    square = n;
                } else if (n.opType().equals("Mul") && n.input(0) == d && n.input(1) == d) {
                    square = n;
                } else if (n.opType().equals("Div") && u.inputIndex() == 0) {
                    div = n;
                } else {
                    return Check.fail("the centred value has another consumer " + n + " (fan-out)");
                }
            }
            if (square == null || div == null || uses.size() != (square.opType().equals("Mul") ? 3 : 2)) {
                return Check.fail("the centred value is not read by exactly a square and a Div");
            }
            Node rm2 = FusionSupport.soleConsumer(ctx, square.output(0), "ReduceMean");
            if (rm2 == null) {
                return Check.fail("the square is not read only by a ReduceMean");
            }
            r = lastAxisOnly(rm2, xs);
            if (r != null) {
                return Check.fail(r);
            }
            Node addEps = FusionSupport.soleConsumer(ctx, rm2.output(0), "Add");
            if (addEps == null) {
                return Check.fail("the variance is not read only by an Add");
            }
            Value epsValue = FusionSupport.other(addEps, rm2.output(0));
            Double eps = FusionSupport.scalar(epsValue);
            if (eps == null || eps < 0) {
                return Check.fail("epsilon is not a constant non-negative scalar");
            }
            Node sqrt = FusionSupport.soleConsumer(ctx, addEps.output(0), "Sqrt");
            if (sqrt == null) {
                return Check.fail("variance + eps is not read only by a Sqrt");
            }
            if (FusionSupport.soleConsumer(ctx, sqrt.output(0)) != div || div.input(1) != sqrt.output(0)) {
                return Check.fail("the standard deviation is not read only by Div(d, std)");
            }
            DataType type = x.elemType();
            if (type != DataType.FLOAT) {
                return Check.fail("input dtype is " + (type == null ? "unknown" : type) + "; only float32 is fused");
            }
            long features = xs != null && xs.rank() > 0 && xs.dim(xs.rank() - 1).isKnown()
                    ? xs.dim(xs.rank() - 1).value() : -1;
            int rank = xs == null ? -1 : xs.rank();
            List<Node> nodes = new ArrayList<>();
            List<Value> constants = new ArrayList<>(List.of(epsValue));
            constants.add(square.input(1));
            if (rm1.inputCount() > 1) {
                constants.add(rm1.input(1));
            }
            if (rm2.inputCount() > 1) {
                constants.add(rm2.input(1));
            }
            Value out = div.output(0);
            Value gamma = null;
            boolean reuseGamma = false;
            Node mul = FusionSupport.soleConsumer(ctx, out, "Mul");
            if (mul != null) {
                Value g = FusionSupport.other(mul, out);
                long c = perFeature(g, rank, features);
                if (c > 0) {
                    features = c;
                    gamma = g;
                    reuseGamma = isExactly1d(g, c);
                    nodes.add(mul);
                    constants.add(g);
                    out = mul.output(0);
                }
            }
            Value beta = null;
            boolean reuseBeta = false;
            Node add = FusionSupport.soleConsumer(ctx, out, "Add");
            if (add != null) {
                Value b = FusionSupport.other(add, out);
                long c = perFeature(b, rank, features);
                if (c > 0 && (features < 0 || c == features)) {
                    features = c;
                    beta = b;
                    reuseBeta = isExactly1d(b, c);
                    nodes.add(0, add);
                    constants.add(b);
                    out = add.output(0);
                }
            }
            if (features < 1) {
                return Check.fail("the feature size (x's last dimension) is unknown and no γ/β gives it");
            }
            nodes.addAll(List.of(div, sqrt, addEps, rm2, square, sub, rm1));
            return Check.ok(new Match(rm1, x, out, nodes, eps, features, gamma, reuseGamma, beta, reuseBeta,
                    constants));
        }

        /**
         * The per-feature length of a constant γ/β: float32, varying along the last axis only, no more dims than x,
         * matching the known feature size (or a single value when that is known); -1 when it does not qualify.
         */
        private static long perFeature(Value v, int rank, long features) {
            Tensor t = FusionSupport.constant(v);
            if (t == null || t.dataType() != DataType.FLOAT) {
                return -1;
            }
            long[] d = t.dims();
            if (d.length > Math.max(rank, 1)) {
                return -1;
            }
            for (int i = 0; i + 1 < d.length; i++) {
                if (d[i] != 1) {
                    return -1;
                }
            }
            long c = d.length == 0 ? 1 : d[d.length - 1];
            if (features > 0) {
                return c == features || c == 1 ? features : -1;
            }
            return c > 1 ? c : -1;
        }

        private static boolean isExactly1d(Value v, long c) {
            // Only an initializer is reused as is: a Constant node may come after the first ReduceMean, where the
            // fused node goes.
            Tensor t = v.constValue();
            return t != null && v.producer() == null && t.rank() == 1 && t.dims()[0] == c;
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            List<Value> inputs = new ArrayList<>();
            inputs.add(m.x());
            inputs.add(m.reuseGamma() ? m.gammaValue() : rw.addConstant(m.first().name() + "_ln_scale",
                    FusionSupport.tensor("", DataType.FLOAT, new long[] {m.features()},
                            expand(m.gammaValue(), m.features(), 1.0))));
            if (m.betaValue() != null) {
                inputs.add(m.reuseBeta() ? m.betaValue() : rw.addConstant(m.first().name() + "_ln_bias",
                        FusionSupport.tensor("", DataType.FLOAT, new long[] {m.features()},
                                expand(m.betaValue(), m.features(), 0.0))));
            }
            Value y = rw.addNode("", "LayerNormalization", inputs,
                    List.of(Attribute.ofInt("axis", -1), Attribute.ofFloat("epsilon", (float) m.eps())),
                    m.out().name() + "_ln");
            rw.replace(m.out(), y);
            rw.removeIfUnused(m.nodes().toArray(new Node[0]));
            ConvFolding.dropIfDead(rw, m.constants());
        }

        private static double[] expand(Value v, long n, double fill) {
            double[] out = new double[(int) n];
            if (v == null) {
                Arrays.fill(out, fill);
                return out;
            }
            double[] src = FusionSupport.constant(v).toDoubleArray();
            for (int i = 0; i < out.length; i++) {
                out[i] = src.length == 1 ? src[0] : src[i];
            }
            return out;
        }
    }
}
