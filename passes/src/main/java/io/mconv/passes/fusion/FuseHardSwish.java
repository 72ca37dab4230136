package io.mconv.passes.fusion;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * fuse-hard-swish: {@code x · relu6(x + 3) / 6} (torch's hardswish written out) becomes HardSwish (opset 14+).
 *
 * <pre>
 * Before:  x ─► Add(x, 3) ─► Clip(0, 6) ─► c
 *          (a) c ─► Div(·, 6) | Mul(·, 1/6) ─► h ─► Mul(x, h) ─► y
 *          (b) c ─► Mul(x, c) ─► Div(·, 6) | Mul(·, 1/6) ─► y        (Python's x * relu6(x + 3) / 6)
 *          (c) x ─► HardSigmoid(alpha=1/6, beta=0.5) ─► h ─► Mul(x, h) ─► y
 * After:   x ─► HardSwish ─► y
 * </pre>
 *
 * Correct because HardSwish is defined as {@code x · max(0, min(1, x/6 + 0.5))} and
 * {@code clip(x + 3, 0, 6)/6 = max(0, min(1, x/6 + 0.5))}; multiplication and division by 6 commute. Refuses: Clip
 * bounds other than [0, 6], constants off by more than 1e-6 relative, a different x in the product, an intermediate
 * (x + 3, the clip, h, the product) read elsewhere or that is a graph output, a HardSigmoid with other alpha/beta,
 * an opset without HardSwish or a dtype it does not accept. Subgraphs are rewritten like the main graph.
 */
public final class FuseHardSwish extends FusionPass {

    public FuseHardSwish() {
        super("fuse-hard-swish", "fuse x * relu6(x + 3) / 6 (or x * HardSigmoid(x)) into HardSwish",
                OptimizationLevel.AGGRESSIVE, false, List.of(new ClipRule(), new HardSigmoidRule()));
    }

    /** @param nodes consumers first */
    record Match(Value x, Value out, List<Node> nodes, List<Value> constants) {
    }

    static final class ClipRule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "hard-swish";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Clip");
        }

        @Override
        public Check<Match> check(Node clip, RuleContext ctx) {
            Check<HardActivations.Relu6> r = HardActivations.relu6PlusThree(ctx, clip);
            if (r instanceof Check.Fail<HardActivations.Relu6> f) {
                return f.as();
            }
            HardActivations.Relu6 m = ((Check.Ok<HardActivations.Relu6>) r).match();
            Value x = m.x();
            Value c = clip.output(0);
            Node first = FusionSupport.soleConsumer(ctx, c);
            if (first == null) {
                return Check.fail("the clipped value has other consumers or is a graph output");
            }
            Node second;
            Value six = HardActivations.divBySix(first, c);
            if (six != null && !(first.opType().equals("Mul") && FusionSupport.other(first, c) == x)) {
                second = FusionSupport.soleConsumer(ctx, first.output(0), "Mul");
                if (second == null || FusionSupport.other(second, first.output(0)) != x) {
                    return Check.fail("relu6(x + 3)/6 is not read only by Mul(x, ·)");
                }
            } else if (first.opType().equals("Mul") && FusionSupport.other(first, c) == x) {
                second = FusionSupport.soleConsumer(ctx, first.output(0));
                six = HardActivations.divBySix(second, first.output(0));
                if (six == null) {
                    return Check.fail("x·relu6(x + 3) is not read only by Div(·, 6) or Mul(·, 1/6)");
                }
            } else {
                return Check.fail("the clipped value is read by neither Div(·, 6), Mul(·, 1/6) nor Mul(x, ·)");
            }
            String missing = HardActivations.opMissing(ctx, "HardSwish", six);
            if (missing != null) {
                return Check.fail(missing);
            }
            List<Value> constants = new ArrayList<>(m.constants());
            constants.add(six);
            return Check.ok(new Match(x, second.output(0), List.of(second, first, clip, m.add()), constants));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            HardActivations.replace(rw, "HardSwish", List.of(), m.x(), m.out(), m.nodes(), m.constants());
        }
    }

    static final class HardSigmoidRule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "hard-sigmoid-times-x";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("HardSigmoid");
        }

        @Override
        public Check<Match> check(Node hs, RuleContext ctx) {
            float alpha = hs.attr(AttrKey.ofFloat("alpha"));
            float beta = hs.attr(AttrKey.ofFloat("beta"));
            if (Math.abs(alpha - 1.0 / 6) > HardActivations.REL / 6 || Math.abs(beta - 0.5) > HardActivations.REL) {
                return Check.fail("HardSigmoid alpha=" + alpha + ", beta=" + beta + " is not 1/6, 0.5");
            }
            Value x = hs.input(0);
            Node mul = FusionSupport.soleConsumer(ctx, hs.output(0), "Mul");
            if (mul == null || FusionSupport.other(mul, hs.output(0)) != x) {
                return Check.fail("the HardSigmoid is not read only by Mul(x, ·)");
            }
            if (!ctx.opsetHas("", "HardSwish")) {
                return Check.fail("HardSwish does not exist at opset " + ctx.defaultOpset());
            }
            if (x.elemType() != null && !FusionSupport.acceptsType(ctx, "HardSwish", "T", x.elemType())) {
                return Check.fail("HardSwish does not accept " + x.elemType());
            }
            return Check.ok(new Match(x, mul.output(0), List.of(mul, hs), List.of()));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            HardActivations.replace(rw, "HardSwish", List.of(), m.x(), m.out(), m.nodes(), m.constants());
        }
    }
}
