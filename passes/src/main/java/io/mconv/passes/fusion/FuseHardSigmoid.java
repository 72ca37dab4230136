package io.mconv.passes.fusion;

import io.mconv.ir.Attribute;
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
 * fuse-hard-sigmoid: {@code relu6(x + 3) / 6} (torch's hardsigmoid written out) becomes HardSigmoid.
 *
 * <pre>
 * Before:  x ─► Add(x, 3) ─► Clip(0, 6) ─► Div(·, 6) | Mul(·, 1/6) ─► y
 * After:   x ─► HardSigmoid(alpha=1/6, beta=0.5) ─► y
 * </pre>
 *
 * Correct because {@code clip(x + 3, 0, 6) / 6 = clip(x/6 + 0.5, 0, 1) = max(0, min(1, alpha·x + beta))} with
 * alpha = 1/6, beta = 0.5, which is HardSigmoid's definition. Clip bounds are read from inputs (opset 11+) or
 * attributes (older). Refuses: bounds other than [0, 6], constants off by more than 1e-6 relative, non-constant
 * bounds or operands, x + 3 or the clipped value read elsewhere or a graph output, an opset without HardSigmoid or a
 * dtype it does not accept. fuse-hard-swish runs first, so x·relu6(x+3)/6 becomes HardSwish rather than
 * x·HardSigmoid(x). Subgraphs are rewritten like the main graph.
 */
public final class FuseHardSigmoid extends FusionPass {

    public FuseHardSigmoid() {
        super("fuse-hard-sigmoid", "fuse relu6(x + 3) / 6 into HardSigmoid", OptimizationLevel.AGGRESSIVE, false,
                List.of(new Rule()));
    }

    record Match(HardActivations.Relu6 relu6, Node div, Value six) {
    }

    static final class Rule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "hard-sigmoid";
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
            Node div = FusionSupport.soleConsumer(ctx, clip.output(0));
            Value six = HardActivations.divBySix(div, clip.output(0));
            if (six == null) {
                return Check.fail("the clipped value is not read only by Div(·, 6) or Mul(·, 1/6)");
            }
            String missing = HardActivations.opMissing(ctx, "HardSigmoid", six);
            if (missing != null) {
                return Check.fail(missing);
            }
            return Check.ok(new Match(m, div, six));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            List<Value> constants = new ArrayList<>(m.relu6().constants());
            constants.add(m.six());
            HardActivations.replace(rw, "HardSigmoid",
                    List.of(Attribute.ofFloat("alpha", 1.0f / 6), Attribute.ofFloat("beta", 0.5f)),
                    m.relu6().x(), m.div().output(0), List.of(m.div(), m.relu6().clip(), m.relu6().add()),
                    constants);
        }
    }
}
