package io.mconv.passes.fusion;

import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.List;
import java.util.Set;

/**
 * fuse-mish: {@code x · tanh(softplus(x))}, as torch exports mish before opset 18, becomes Mish (opset 18+).
 *
 * <pre>
 * Before:  x ─► Softplus ─► Tanh ─► Mul(x, ·) ─► y
 * After:   x ─► Mish ─► y
 * </pre>
 *
 * Correct because Mish is defined as {@code x · tanh(softplus(x))} with {@code softplus(x) = ln(1 + eˣ)}, which is
 * ONNX Softplus. Refuses: the softplus or tanh value read elsewhere or a graph output, a product with another value
 * than the Softplus input, an opset without Mish, a dtype Mish does not accept (when the input's type is known).
 * Subgraphs are rewritten like the main graph.
 */
public final class FuseMish extends FusionPass {

    public FuseMish() {
        super("fuse-mish", "fuse x * tanh(softplus(x)) into Mish (opset 18+)", OptimizationLevel.AGGRESSIVE, false,
                List.of(new Rule()));
    }

    record Match(Value x, Node softplus, Node tanh, Node mul) {
    }

    static final class Rule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "mish";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Softplus");
        }

        @Override
        public Check<Match> check(Node sp, RuleContext ctx) {
            if (!ctx.opsetHas("", "Mish")) {
                return Check.fail("Mish does not exist at opset " + ctx.defaultOpset());
            }
            Value x = sp.input(0);
            Node tanh = FusionSupport.soleConsumer(ctx, sp.output(0), "Tanh");
            if (tanh == null) {
                return Check.fail("the Softplus is not read only by a Tanh");
            }
            Node mul = FusionSupport.soleConsumer(ctx, tanh.output(0), "Mul");
            if (mul == null || FusionSupport.other(mul, tanh.output(0)) != x) {
                return Check.fail("tanh(softplus(x)) is not read only by Mul(x, ·)");
            }
            if (x.elemType() != null && !FusionSupport.acceptsType(ctx, "Mish", "T", x.elemType())) {
                return Check.fail("Mish does not accept " + x.elemType());
            }
            return Check.ok(new Match(x, sp, tanh, mul));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            HardActivations.replace(rw, "Mish", List.of(), m.x(), m.mul().output(0),
                    List.of(m.mul(), m.tanh(), m.softplus()), List.of());
        }
    }
}
