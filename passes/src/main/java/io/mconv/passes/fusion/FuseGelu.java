package io.mconv.passes.fusion;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
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
 * fuse-gelu: the GELU formulas torch exports become the standard Gelu op (opset 20 and later).
 *
 * <pre>
 * Before (exact):  x ─► Div(x, √2) | Mul(x, 1/√2) ─► Erf ─► Add(·, 1) ─► e
 *                  then  Mul(Mul(x, e), 0.5)  |  Mul(Mul(e, 0.5), x)  |  Mul(Mul(x, 0.5), e) ─► y
 * After:           x ─► Gelu ─► y
 *
 * Before (tanh):   x ─► Pow(x, 3) | Mul(x, Mul(x, x)) ─► Mul(·, 0.044715) ─► Add(x, ·) ─► Mul(·, √(2/π)) ─► Tanh
 *                  ─► Add(·, 1) ─► e, then the same three ways of multiplying by x and 0.5 ─► y
 * After:           x ─► Gelu(approximate="tanh") ─► y
 * </pre>
 *
 * Correct because Gelu is defined as {@code 0.5·x·(1 + erf(x/√2))}, and with {@code approximate="tanh"} as
 * {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}; multiplication is commutative, so every order above is the
 * same function. Each constant must match within 1e-6 relative (torch writes them as float32). Refuses: an opset
 * without Gelu (asked of the schema registry, so an opset-17 model is left alone); a dtype Gelu does not accept; any
 * intermediate with another consumer or that is a graph output; a different x on the two paths. Subgraphs are
 * rewritten like the main graph; every matched node must be in the root's graph.
 */
public final class FuseGelu extends FusionPass {

    static final double SQRT2 = Math.sqrt(2);
    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    static final double KAPPA = 0.044715;
    static final double REL = 1e-6;

    public FuseGelu() {
        super("fuse-gelu", "fuse the exact (Erf) and tanh GELU formulas into Gelu (opset 20+)",
                OptimizationLevel.AGGRESSIVE, false, List.of(new ErfRule(), new TanhRule()));
    }

    /** @param nodes matched nodes, consumers first */
    record Match(Node root, Value x, Value out, boolean tanh, List<Node> nodes, List<Value> constants) {
    }

    /** The ×x and ×0.5 after {@code e = 1 + erf/tanh(...)}: the last node and the nodes, consumers first. */
    record Tail(Node last, List<Node> nodes, List<Value> constants) {
    }

    static Check<Tail> tail(RuleContext ctx, Value e, Value x) {
        Node c = FusionSupport.soleConsumer(ctx, e, "Mul");
        if (c == null) {
            return Check.fail("1 + erf/tanh is not read only by a Mul");
        }
        Value o = FusionSupport.other(c, e);
        if (o == null) {
            return Check.fail("Mul reads 1 + erf/tanh twice");
        }
        if (o == x || FusionSupport.scalarIs(o, 0.5, REL)) {
            Node m2 = FusionSupport.soleConsumer(ctx, c.output(0), "Mul");
            if (m2 == null) {
                return Check.fail("the product is not read only by a Mul");
            }
            Value last = FusionSupport.other(m2, c.output(0));
            boolean ok = o == x ? FusionSupport.scalarIs(last, 0.5, REL) : last == x;
            if (!ok) {
                return Check.fail("the final Mul is not by " + (o == x ? "0.5" : "x"));
            }
            return Check.ok(new Tail(m2, List.of(m2, c), List.of(o == x ? last : o)));
        }
        Node half = FusionSupport.producer(ctx, o, "Mul");
        if (half == null || FusionSupport.soleConsumer(ctx, o) != c) {
            return Check.fail("the Mul with 1 + erf/tanh reads neither x, 0.5, nor a private Mul(x, 0.5)");
        }
        Value h = FusionSupport.other(half, x);
        if (!FusionSupport.scalarIs(h, 0.5, REL)) {
            return Check.fail("the other factor is not Mul(x, 0.5)");
        }
        return Check.ok(new Tail(c, List.of(c, half), List.of(h)));
    }

    /** Whether Gelu exists at the opset and accepts the dtype of the formula's constants. */
    static String geluMissing(RuleContext ctx, Value someConstant) {
        if (!ctx.opsetHas("", "Gelu")) {
            return "Gelu does not exist at opset " + ctx.defaultOpset();
        }
        Tensor t = FusionSupport.constant(someConstant);
        if (t == null || !FusionSupport.acceptsType(ctx, "Gelu", "T", t.dataType())) {
            return "Gelu does not accept " + (t == null ? "an unknown dtype" : t.dataType());
        }
        return null;
    }

    static Match finish(Node root, Value x, Node add1, Value one, Check<Tail> t, List<Node> head,
                        List<Value> headConstants, boolean tanh) {
        Tail tail = ((Check.Ok<Tail>) t).match();
        List<Node> nodes = new ArrayList<>(tail.nodes());
        nodes.add(add1);
        nodes.add(root);
        nodes.addAll(head);
        List<Value> constants = new ArrayList<>(tail.constants());
        constants.add(one);
        constants.addAll(headConstants);
        return new Match(root, x, tail.last().output(0), tanh, nodes, constants);
    }

    /** The Add(·, 1) after the Erf/Tanh, or null. */
    static Node addOne(RuleContext ctx, Node root) {
        Node add1 = FusionSupport.soleConsumer(ctx, root.output(0), "Add");
        if (add1 == null || !FusionSupport.scalarIs(FusionSupport.other(add1, root.output(0)), 1, REL)) {
            return null;
        }
        return add1;
    }

    static void rewriteGelu(Match m, Rewriter rw) {
        List<Attribute> attrs = m.tanh() ? List.of(Attribute.ofString("approximate", "tanh")) : List.of();
        Value y = rw.addNode("", "Gelu", List.of(m.x()), attrs, m.out().name() + "_gelu");
        rw.replace(m.out(), y);
        rw.removeIfUnused(m.nodes().toArray(new Node[0]));
        ConvFolding.dropIfDead(rw, m.constants());
    }

    static final class ErfRule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "gelu-erf";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Erf");
        }

        @Override
        public Check<Match> check(Node erf, RuleContext ctx) {
            Value in = erf.input(0);
            Node p = FusionSupport.producer(ctx, in, "Div");
            Value x = null;
            Value k = null;
            if (p != null && FusionSupport.scalarIs(p.input(1), SQRT2, REL)) {
                x = p.input(0);
                k = p.input(1);
            } else {
                p = FusionSupport.producer(ctx, in, "Mul");
                for (int s = 0; p != null && s < 2 && x == null; s++) {
                    if (FusionSupport.scalarIs(p.input(s), 1 / SQRT2, REL)) {
                        x = p.input(1 - s);
                        k = p.input(s);
                    }
                }
            }
            if (x == null) {
                return Check.fail("the Erf input is not Div(x, √2) or Mul(x, 1/√2)");
            }
            String missing = geluMissing(ctx, k);
            if (missing != null) {
                return Check.fail(missing);
            }
            String np = FusionSupport.notPrivate(ctx, in, erf);
            if (np != null) {
                return Check.fail("x/√2 " + np);
            }
            Node add1 = addOne(ctx, erf);
            if (add1 == null) {
                return Check.fail("the Erf is not read only by Add(·, 1)");
            }
            Check<Tail> t = tail(ctx, add1.output(0), x);
            if (t instanceof Check.Fail<Tail> f) {
                return f.as();
            }
            return Check.ok(finish(erf, x, add1, FusionSupport.other(add1, erf.output(0)), t, List.of(p),
                    List.of(k), false));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            rewriteGelu(m, rw);
        }
    }

    static final class TanhRule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "gelu-tanh";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Tanh");
        }

        @Override
        public Check<Match> check(Node tanh, RuleContext ctx) {
            List<Node> head = new ArrayList<>();
            List<Value> consts = new ArrayList<>();
            Value in = tanh.input(0);
            Node mb = FusionSupport.producer(ctx, in, "Mul");
            if (mb == null || FusionSupport.soleConsumer(ctx, in) != tanh) {
                return Check.fail("the Tanh input is not a private Mul");
            }
            Value s = scaled(mb, SQRT_2_OVER_PI, consts);
            Node addx = FusionSupport.producer(ctx, s, "Add");
            if (addx == null || FusionSupport.soleConsumer(ctx, s) != mb) {
                return Check.fail("the Tanh input is not √(2/π)·(private Add)");
            }
            head.add(mb);
            head.add(addx);
            Value x = null;
            for (int side = 0; side < 2 && x == null; side++) {
                Value kv = addx.input(side);
                Node km = FusionSupport.producer(ctx, kv, "Mul");
                if (km == null || FusionSupport.soleConsumer(ctx, kv) != addx) {
                    continue;
                }
                Value cube = scaled(km, KAPPA, consts);
                Value candidate = addx.input(1 - side);
                List<Node> cubeNodes = cubeOf(ctx, cube, candidate, consts);
                if (cube != null && cubeNodes != null) {
                    x = candidate;
                    head.add(km);
                    head.addAll(cubeNodes);
                }
            }
            if (x == null) {
                return Check.fail("the Tanh input is not √(2/π)·(x + 0.044715·x³)");
            }
            String missing = geluMissing(ctx, consts.get(0));
            if (missing != null) {
                return Check.fail(missing);
            }
            Node add1 = addOne(ctx, tanh);
            if (add1 == null) {
                return Check.fail("the Tanh is not read only by Add(·, 1)");
            }
            Check<Tail> t = tail(ctx, add1.output(0), x);
            if (t instanceof Check.Fail<Tail> f) {
                return f.as();
            }
            return Check.ok(finish(tanh, x, add1, FusionSupport.other(add1, tanh.output(0)), t, head, consts,
                    true));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            rewriteGelu(m, rw);
        }

        /** For Mul(v, k) with k ≈ {@code factor}: v (recording k), else null. */
        private static Value scaled(Node mul, double factor, List<Value> consts) {
            for (int s = 0; s < 2; s++) {
                if (FusionSupport.scalarIs(mul.input(s), factor, REL)) {
                    consts.add(mul.input(s));
                    return mul.input(1 - s);
                }
            }
            return null;
        }

        /** The nodes computing {@code cube = x³} (Pow(x, 3), or x·(x·x) in any order), consumers first; else null. */
        private static List<Node> cubeOf(RuleContext ctx, Value cube, Value x, List<Value> consts) {
            if (cube == null || x == null) {
                return null;
            }
            Node pow = FusionSupport.producer(ctx, cube, "Pow");
            if (pow != null && pow.input(0) == x && FusionSupport.scalarIs(pow.input(1), 3, REL)) {
                consts.add(pow.input(1));
                return FusionSupport.soleConsumer(ctx, cube) != null ? List.of(pow) : null;
            }
            Node m = FusionSupport.producer(ctx, cube, "Mul");
            if (m == null || FusionSupport.soleConsumer(ctx, cube) == null) {
                return null;
            }
            Value sq = FusionSupport.other(m, x);
            Node sqNode = FusionSupport.producer(ctx, sq, "Mul");
            if (sqNode == null || sqNode.input(0) != x || sqNode.input(1) != x
                    || FusionSupport.soleConsumer(ctx, sq) != m) {
                return null;
            }
            return List.of(m, sqNode);
        }
    }
}
