package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtPatterns.constant;
import static io.mconv.passes.ort.OrtPatterns.notFloat32;
import static io.mconv.passes.ort.OrtPatterns.producer;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ort-fuse-skip-layer-norm}: a residual Add feeding a last-axis LayerNormalization becomes ONNX Runtime's
 * SkipLayerNormalization.
 *
 * <pre>
 * Before:                                   After:
 *   s = Add(input, skip)                      y, _, _, s' = com.microsoft::SkipLayerNormalization(
 *   y = LayerNormalization(s, gamma, beta,                      input, skip, gamma, beta[, bias], epsilon=e)
 *         axis=-1, epsilon=e)                 (s' only when s has other readers: it replaces s)
 * With a bias: input = Add(h, bias), bias a 1-D constant read only there, becomes SkipLayerNormalization's
 * bias input (h is the input).
 * </pre>
 *
 * <p>Correct because SkipLayerNormalization computes s = input + skip (+ bias) and LayerNorm(s) over the last
 * axis with gamma and beta, exactly LayerNormalization(axis=-1) with the same epsilon; its optional 4th output
 * {@code input_skip_bias_sum} is s itself, so a later residual that also reads s keeps its value. Requirements
 * (the contrib kernel's, refused with a reason otherwise): float32; input of rank 3 with a known hidden size equal
 * to gamma's (and beta's) length; skip of the same shape as input, or (1, S, D), or (S, D); the Add must not
 * broadcast input; LayerNormalization's Mean/InvStdDev outputs unused; its opset has LayerNormalization (17+,
 * by the matched node). Subgraphs are visited ({@link OrtRulePass}).
 */
public final class FuseSkipLayerNorm {

    public static final String NAME = "ort-fuse-skip-layer-norm";
    private static final AttrKey<Long> AXIS = AttrKey.ofInt("axis");
    private static final AttrKey<Float> EPSILON = AttrKey.ofFloat("epsilon");

    private FuseSkipLayerNorm() {
    }

    public static OrtRulePass pass() {
        return new OrtRulePass(NAME, "Add + LayerNormalization(axis=-1) into com.microsoft SkipLayerNormalization",
                List.of(new Rule()));
    }

    record Match(Node ln, Node add, Value input, Value skip, Value gamma, Value beta, Node biasAdd, Value bias,
                 float epsilon, boolean sumUsed) {
    }

    static boolean sameDim(Dim a, Dim b) {
        return (a.isKnown() || a.isSymbolic()) && a.equals(b) || a.isKnown() && b.isKnown()
                && a.value().equals(b.value());
    }

    /** skip's shape is input's, (1, S, D) or (S, D) for input (B, S, D). */
    static boolean skipFits(Shape in, Shape skip) {
        if (skip == null) {
            return false;
        }
        if (skip.rank() == 3) {
            boolean first = sameDim(in.dim(0), skip.dim(0)) || skip.dim(0).isKnown() && skip.dim(0).value() == 1;
            return first && sameDim(in.dim(1), skip.dim(1)) && sameDim(in.dim(2), skip.dim(2));
        }
        return skip.rank() == 2 && sameDim(in.dim(1), skip.dim(0)) && sameDim(in.dim(2), skip.dim(1));
    }

    static final class Rule implements RewriteRule<Match> {
        @Override
        public String name() {
            return "skip-layer-norm";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("LayerNormalization");
        }

        @Override
        public Check<Match> check(Node ln, RuleContext ctx) {
            Value s = ln.input(0);
            Node add = producer(s, "Add");
            if (add == null) {
                return Check.noMatch("LayerNormalization input is not an Add");
            }
            for (int i = 1; i < ln.outputCount(); i++) {
                Value o = ln.output(i);
                if (o != null && (o.hasUses() || o.isGraphOutput())) {
                    return Check.fail("LayerNormalization's Mean/InvStdDev output is used");
                }
            }
            int rank = OrtPatterns.rank(s);
            long axis = ln.attr(AXIS);
            if (rank < 0) {
                return Check.fail("rank of " + s.name() + " unknown");
            }
            if (axis != -1 && axis != rank - 1) {
                return Check.fail("LayerNormalization axis " + axis + " is not the last axis");
            }
            if (rank != 3) {
                return Check.fail("SkipLayerNormalization needs a rank-3 input, " + s.name() + " has rank " + rank);
            }
            for (Value v : List.of(add.input(0), add.input(1), ln.input(1))) {
                String reason = notFloat32(v);
                if (reason != null) {
                    return Check.fail(reason);
                }
            }
            long hidden = OrtPatterns.lastDim(s);
            if (hidden < 0) {
                return Check.fail("hidden size of " + s.name() + " unknown");
            }
            Value gamma = ln.input(1);
            Value beta = ln.inputCount() > 2 ? ln.input(2) : null;
            for (Value p : Arrays.asList(gamma, beta)) {
                if (p != null && (p.shape() == null || p.shape().rank() != 1 || OrtPatterns.lastDim(p) != hidden)) {
                    return Check.fail("LayerNormalization scale/bias " + p.name() + " is not 1-D of length " + hidden);
                }
            }
            Value input = null;
            Value skip = null;
            for (int i = 0; i < 2 && input == null; i++) {
                Value a = add.input(i);
                Value b = add.input(1 - i);
                if (a.shape() != null && a.shape().rank() == 3 && a.shape().equals(s.shape())
                        && skipFits(a.shape(), b.shape())) {
                    input = a;
                    skip = b;
                }
            }
            if (input == null) {
                return Check.fail("the Add's operand shapes are not (B,S,D) + (B,S,D) | (1,S,D) | (S,D)");
            }
            String missing = ContribSchemas.unavailable(ctx, "SkipLayerNormalization");
            if (missing != null) {
                return Check.fail(missing);
            }
            // an optional bias: input = Add(h, bias) read only by the residual Add (either operand when the two
            // have the same shape, so the Add is symmetric)
            Node biasAdd = null;
            Value bias = null;
            for (Value side : List.of(input, skip)) {
                if (bias != null || side == skip && !s.shape().equals(skip.shape())) {
                    continue;
                }
                Node p = producer(side, "Add");
                if (p == null || !ctx.isPrivateTo(side, add)) {
                    continue;
                }
                for (int i = 0; i < 2 && bias == null; i++) {
                    Tensor b = constant(p.input(i));
                    Value h = p.input(1 - i);
                    if (b != null && b.dataType() == DataType.FLOAT && b.rank() == 1 && b.dims()[0] == hidden
                            && h.shape() != null && h.shape().equals(side.shape()) && constant(h) == null) {
                        bias = p.input(i);
                        biasAdd = p;
                        if (side == skip) {
                            skip = input;
                        }
                        input = h;
                    }
                }
            }
            boolean sumUsed = s.isGraphOutput() || s.uses().size() > 1;
            return Check.ok(new Match(ln, add, input, skip, gamma, beta, biasAdd, bias,
                    ln.attr(EPSILON), sumUsed));
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            ContribSchemas.ensureImport(r.graph());
            List<Value> inputs = new ArrayList<>(Arrays.asList(m.input(), m.skip(), m.gamma()));
            if (m.beta() != null || m.bias() != null) {
                inputs.add(m.beta());
            }
            if (m.bias() != null) {
                inputs.add(m.bias());
            }
            String base = m.ln().output(0).name();
            List<String> outs = m.sumUsed() ? Arrays.asList(base + "_sln", null, null, base + "_sum")
                    : List.of(base + "_sln");
            List<Value> o = r.addNode(ContribSchemas.DOMAIN, "SkipLayerNormalization", inputs,
                    List.of(Attribute.ofFloat("epsilon", m.epsilon())), outs);
            Value s = m.add().output(0);
            if (m.sumUsed()) {
                r.replace(s, o.get(3));
            }
            r.replace(m.ln().output(0), o.get(0));
            r.removeIfUnused(m.ln(), m.add());
            if (m.biasAdd() != null) {
                r.removeIfUnused(m.biasAdd());
            }
        }
    }
}
