package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtPatterns.constant;
import static io.mconv.passes.ort.OrtPatterns.notFloat32;
import static io.mconv.passes.ort.OrtPatterns.producer;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ort-fuse-conv-activation}: a Conv followed by an activation becomes ONNX Runtime's FusedConv.
 *
 * <pre>
 * Before:                              After:
 *   c = Conv(X, W[, B], attrs)           y = com.microsoft::FusedConv(X, W[, B], attrs,
 *   y = LeakyRelu(c, alpha=0.1)                activation="LeakyRelu", activation_params=[0.1])
 * </pre>
 *
 * <p>Activations and their {@code activation_params} (those ORT's CPU FusedConv applies after the convolution):
 * Relu, Sigmoid, Tanh (none), LeakyRelu [alpha], HardSigmoid [alpha, beta], Clip [min, max] (Clip-11+ reads them
 * from constant inputs, a missing one is the float32 extreme; Clip-6 from attributes). Correct because FusedConv
 * computes the Conv with the same attributes, all copied, and applies that elementwise activation to its result.
 * Refused: the Conv output read by anything else or a graph output, non-float32 (the CPU kernel's only type),
 * a Clip bound that is not a constant. Subgraphs are visited ({@link OrtRulePass}).
 */
public final class FuseConvActivation {

    public static final String NAME = "ort-fuse-conv-activation";
    static final Set<String> ACTIVATIONS = Set.of("Relu", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "Clip");
    private static final AttrKey<Float> ALPHA = AttrKey.ofFloat("alpha");
    private static final AttrKey<Float> BETA = AttrKey.ofFloat("beta");
    private static final AttrKey<Float> MIN = AttrKey.ofFloat("min");
    private static final AttrKey<Float> MAX = AttrKey.ofFloat("max");

    private FuseConvActivation() {
    }

    public static OrtRulePass pass() {
        return new OrtRulePass(NAME, "Conv + Relu/Sigmoid/Tanh/LeakyRelu/HardSigmoid/Clip into com.microsoft "
                + "FusedConv", List.of(new Rule()));
    }

    record Match(Node conv, Node act, float[] params) {
    }

    static final class Rule implements RewriteRule<Match> {
        @Override
        public String name() {
            return "conv-activation";
        }

        @Override
        public Set<String> rootOpTypes() {
            return ACTIVATIONS;
        }

        @Override
        public Check<Match> check(Node act, RuleContext ctx) {
            Value c = act.input(0);
            Node conv = producer(c, "Conv");
            if (conv == null) {
                return Check.noMatch("input is not a Conv");
            }
            String reason = OrtPatterns.notPrivate(ctx, c, act);
            if (reason != null) {
                return Check.fail(reason);
            }
            reason = notFloat32(conv.input(0));
            if (reason != null) {
                return Check.fail(reason);
            }
            float[] params;
            switch (act.opType()) {
                case "LeakyRelu" -> params = new float[] {act.attr(ALPHA)};
                case "HardSigmoid" -> params = new float[] {act.attr(ALPHA), act.attr(BETA)};
                case "Clip" -> {
                    params = clipBounds(act);
                    if (params == null) {
                        return Check.fail("Clip bounds are not float32 scalar constants");
                    }
                }
                default -> params = new float[0];
            }
            String missing = ContribSchemas.unavailable(ctx, "FusedConv");
            if (missing != null) {
                return Check.fail(missing);
            }
            return Check.ok(new Match(conv, act, params));
        }

        private static float[] clipBounds(Node clip) {
            if (clip.inputCount() <= 1 && (clip.hasAttribute(MIN) || clip.hasAttribute(MAX))) {
                return new float[] {clip.attrIfPresent(MIN).orElse(-Float.MAX_VALUE),
                        clip.attrIfPresent(MAX).orElse(Float.MAX_VALUE)};
            }
            float[] out = {-Float.MAX_VALUE, Float.MAX_VALUE};
            for (int i = 1; i <= 2; i++) {
                Value v = clip.input(i);
                if (v == null) {
                    continue;
                }
                Tensor t = constant(v);
                if (t == null || t.dataType() != DataType.FLOAT || t.elementCount() != 1) {
                    return null;
                }
                out[i - 1] = t.toFloatArray()[0];
            }
            return out;
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            ContribSchemas.ensureImport(r.graph());
            List<Attribute> attrs = new ArrayList<>(m.conv().attributes());
            attrs.add(Attribute.ofString("activation", m.act().opType()));
            if (m.params().length > 0) {
                attrs.add(Attribute.ofFloats("activation_params", m.params()));
            }
            List<Value> inputs = new ArrayList<>();
            for (int i = 0; i < m.conv().inputCount(); i++) {
                inputs.add(m.conv().input(i));
            }
            Value out = r.addNode(ContribSchemas.DOMAIN, "FusedConv", inputs, attrs,
                    m.act().output(0).name() + "_fused");
            r.replace(m.act().output(0), out);
            r.removeIfUnused(m.act(), m.conv());
        }
    }
}
