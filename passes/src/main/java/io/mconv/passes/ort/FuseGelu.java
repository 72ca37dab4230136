package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtPatterns.constant;
import static io.mconv.passes.ort.OrtPatterns.isScalar;
import static io.mconv.passes.ort.OrtPatterns.notFloat32;
import static io.mconv.passes.ort.OrtPatterns.producer;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ort-fuse-gelu}: GELU, spelled out or as the standard op, becomes ONNX Runtime's contrib kernel.
 *
 * <pre>
 * Before (torch's exact GELU; the three factors in any Mul nesting, x/√2 also as x·(1/√2)):
 *   d = Div(x, 1.4142135); e = Erf(d); a = Add(e, 1); m = Mul(x, a); y = Mul(m, 0.5)
 * After:
 *   y = com.microsoft::Gelu(x)
 *
 * Before (tanh approximation): y = 0.5 · x · (1 + Tanh(0.7978846 · (x + 0.044715 · Pow(x, 3))))
 * After:  y = com.microsoft::FastGelu(x)
 *
 * Before (standard op, opset 20+): y = Gelu(x, approximate="none" | "tanh")
 * After:  y = com.microsoft::Gelu(x) | com.microsoft::FastGelu(x)
 *
 * Bias: when x = Add(A, b) with b a 1-D float32 constant of A's last dimension and x is read only by the GELU
 * nodes, the Add goes too: com.microsoft::BiasGelu(A, b), or FastGelu(A, b).
 * </pre>
 *
 * <p>Correct because ORT's Gelu computes exactly 0.5·x·(1 + erf(x/√2)), FastGelu exactly the tanh formula
 * above with its optional bias added to x first, and BiasGelu Gelu(A + b) with b broadcast over the last axis;
 * the constants are accepted within 1e-6 relative (torch writes them as float32). Every intermediate must be read
 * by the pattern only and must not be a graph output; x must be float32 (the CPU kernels' type). The
 * {@code com.microsoft} opset import (version 1) is added with the first rewrite. Subgraphs are visited
 * ({@link OrtRulePass}); function bodies only when they import {@code com.microsoft} themselves.
 */
public final class FuseGelu {

    public static final String NAME = "ort-fuse-gelu";

    private FuseGelu() {
    }

    public static OrtRulePass pass() {
        return new OrtRulePass(NAME, "GELU (erf, tanh approximation, or the standard op), with a preceding bias Add, "
                + "into com.microsoft Gelu / FastGelu / BiasGelu",
                List.of(new ErfGelu(), new TanhGelu(), new StandardGelu()));
    }

    /** What a GELU rule matched: the root, the GELU input, the nodes to remove (consumers first). */
    record Match(Node root, Value x, List<Node> nodes, Node biasAdd, Value biasInput, Value bias, boolean tanh) {
    }

    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    /** Constant with one element that cannot change the rank of a product with {@code x}. */
    static boolean scalarFor(Value c, double expected, Value x) {
        if (!isScalar(c, expected)) {
            return false;
        }
        int r = constant(c).rank();
        return r == 0 || (OrtPatterns.rank(x) >= r);
    }

    /** The three factors of a product rooted at {@code root} and, for each, the Mul that reads it. */
    record Factors(List<Value> values, List<Node> readers, Node inner) {
    }

    static Factors factors(Node root, RuleContext ctx) {
        List<Value> values = new ArrayList<>();
        List<Node> readers = new ArrayList<>();
        Node inner = null;
        for (int i = 0; i < 2; i++) {
            Value v = root.input(i);
            Node m = producer(v, "Mul");
            if (m != null && inner == null && ctx.isPrivateTo(v, root) && constant(v) == null) {
                inner = m;
                values.add(m.input(0));
                readers.add(m);
                values.add(m.input(1));
                readers.add(m);
            } else {
                values.add(v);
                readers.add(root);
            }
        }
        return new Factors(values, readers, inner);
    }

    /** Finds (0.5, 1+f(x), x) among three factors; returns {index of 0.5, index of the Add}, or null. */
    static int[] halfAndAdd(Factors f, java.util.function.Predicate<Node> isOnePlus) {
        if (f.values().size() != 3) {
            return null;
        }
        for (int h = 0; h < 3; h++) {
            for (int a = 0; a < 3; a++) {
                if (h == a) {
                    continue;
                }
                Node add = producer(f.values().get(a), "Add");
                if (add != null && isScalar(f.values().get(h), 0.5) && isOnePlus.test(add)) {
                    return new int[] {h, a};
                }
            }
        }
        return null;
    }

    /** The non-1 input of Add(v, 1) or Add(1, v) if it is produced by {@code opType}; else null. */
    static Node onePlus(Node add, String opType) {
        for (int i = 0; i < 2; i++) {
            Node p = producer(add.input(i), opType);
            if (p != null && isScalar(add.input(1 - i), 1.0)) {
                return p;
            }
        }
        return null;
    }

    /** Shared tail of the spelled-out rules: privacy, dtype, opset, the bias. */
    static Check<Match> finish(RuleContext ctx, Node root, Value x, List<Node> nodes, List<Value[]> edges,
                               boolean tanh) {
        for (Value[] e : edges) {
            // e[0] is an intermediate that must be read only by the pattern node producing e[1]
            Node consumer = e[1].producer();
            String reason = OrtPatterns.notPrivate(ctx, e[0], consumer);
            if (reason != null) {
                return Check.fail(reason);
            }
        }
        return withBias(ctx, root, x, nodes, tanh);
    }

    static Check<Match> withBias(RuleContext ctx, Node root, Value x, List<Node> nodes, boolean tanh) {
        String reason = notFloat32(x);
        if (reason != null) {
            return Check.fail(reason);
        }
        Node add = producer(x, "Add");
        if (add != null && OrtPatterns.onlyUsedBy(x, nodes.toArray(new Node[0]))) {
            for (int i = 0; i < 2; i++) {
                Tensor b = constant(add.input(i));
                Value a = add.input(1 - i);
                if (b != null && b.dataType() == DataType.FLOAT && b.rank() == 1 && constant(a) == null
                        && OrtPatterns.lastDim(a) == b.dims()[0] && notFloat32(a) == null) {
                    String missing = ContribSchemas.unavailable(ctx, tanh ? "FastGelu" : "BiasGelu");
                    if (missing != null) {
                        return Check.fail(missing);
                    }
                    List<Node> all = new ArrayList<>(nodes);
                    all.add(add);
                    return Check.ok(new Match(root, x, all, add, a, add.input(i), tanh));
                }
            }
        }
        String missing = ContribSchemas.unavailable(ctx, tanh ? "FastGelu" : "Gelu");
        if (missing != null) {
            return Check.fail(missing);
        }
        return Check.ok(new Match(root, x, nodes, null, null, null, tanh));
    }

    static void rewriteMatch(Match m, Rewriter r) {
        ContribSchemas.ensureImport(r.graph());
        List<Value> inputs = m.biasAdd() == null ? List.of(m.x()) : List.of(m.biasInput(), m.bias());
        String op = m.tanh() ? "FastGelu" : m.biasAdd() == null ? "Gelu" : "BiasGelu";
        Value out = r.addNode(ContribSchemas.DOMAIN, op, inputs, List.of(), m.root().output(0).name() + "_gelu");
        Set<Value> consts = new LinkedHashSet<>();
        for (Node n : m.nodes()) {
            consts.addAll(n.inputs());
        }
        r.replace(m.root().output(0), out);
        r.removeIfUnused(m.nodes().toArray(new Node[0]));
        for (Value c : consts) {
            if (c == null || c.hasUses()) {
                continue;
            }
            Node p = producer(c, "Constant");
            if (p != null) {
                r.removeIfUnused(p);
            }
            r.removeConstantIfUnused(c);
        }
    }

    /** 0.5 · x · (1 + erf(x / √2)). */
    static final class ErfGelu implements RewriteRule<Match> {
        @Override
        public String name() {
            return "erf-gelu";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Mul");
        }

        @Override
        public Check<Match> check(Node root, RuleContext ctx) {
            Factors f = factors(root, ctx);
            int[] ha = halfAndAdd(f, add -> onePlus(add, "Erf") != null);
            if (ha == null) {
                return Check.noMatch("not a product 0.5 · x · (1 + Erf(..))");
            }
            int xi = 3 - ha[0] - ha[1];
            Value x = f.values().get(xi);
            Node add = f.values().get(ha[1]).producer();
            Node erf = onePlus(add, "Erf");
            Value d = erf.input(0);
            Node div = producer(d, "Div");
            Node scale = div != null ? div : producer(d, "Mul");
            if (scale == null) {
                return Check.fail("Erf input is not x/√2");
            }
            boolean ok = div != null
                    ? div.input(0) == x && scalarFor(div.input(1), SQRT2, x)
                    : (OrtPatterns.other(scale, x) != null && scalarFor(OrtPatterns.other(scale, x), 1 / SQRT2, x));
            if (!ok || !scalarFor(f.values().get(ha[0]), 0.5, x)) {
                return Check.fail("Erf input is not the multiplied x divided by √2");
            }
            List<Node> nodes = new ArrayList<>();
            nodes.add(root);
            if (f.inner() != null) {
                nodes.add(f.inner());
            }
            nodes.add(add);
            nodes.add(erf);
            nodes.add(scale);
            List<Value[]> edges = new ArrayList<>();
            if (f.inner() != null) {
                edges.add(new Value[] {f.inner().output(0), root.output(0)});
            }
            edges.add(new Value[] {add.output(0), f.readers().get(ha[1]).output(0)});
            edges.add(new Value[] {erf.output(0), add.output(0)});
            edges.add(new Value[] {scale.output(0), erf.output(0)});
            return finish(ctx, root, x, nodes, edges, false);
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            rewriteMatch(m, r);
        }
    }

    /** 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))). */
    static final class TanhGelu implements RewriteRule<Match> {
        @Override
        public String name() {
            return "tanh-gelu";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Mul");
        }

        @Override
        public Check<Match> check(Node root, RuleContext ctx) {
            Factors f = factors(root, ctx);
            int[] ha = halfAndAdd(f, add -> onePlus(add, "Tanh") != null);
            if (ha == null) {
                return Check.noMatch("not a product 0.5 · x · (1 + Tanh(..))");
            }
            Value x = f.values().get(3 - ha[0] - ha[1]);
            Node add1 = f.values().get(ha[1]).producer();
            Node tanh = onePlus(add1, "Tanh");
            Node scale = producer(tanh.input(0), "Mul");
            if (scale == null) {
                return Check.fail("Tanh input is not a product");
            }
            Node inner = null;
            for (int i = 0; i < 2 && inner == null; i++) {
                if (scalarFor(scale.input(1 - i), SQRT_2_OVER_PI, x)) {
                    inner = producer(scale.input(i), "Add");
                }
            }
            if (inner == null || OrtPatterns.other(inner, x) == null) {
                return Check.fail("Tanh input is not √(2/π) · (x + ..)");
            }
            Node cube = producer(OrtPatterns.other(inner, x), "Mul");
            Node pow = null;
            Node sq = null;
            Node cubeMul = null;
            if (cube != null) {
                for (int i = 0; i < 2 && pow == null && cubeMul == null; i++) {
                    if (scalarFor(cube.input(1 - i), 0.044715, x)) {
                        Value p = cube.input(i);
                        Node pw = producer(p, "Pow");
                        if (pw != null && pw.input(0) == x && scalarFor(pw.input(1), 3.0, x)) {
                            pow = pw;
                        }
                        Node m = producer(p, "Mul");
                        if (m != null && OrtPatterns.other(m, x) != null) {
                            Node s = producer(OrtPatterns.other(m, x), "Mul");
                            if (s != null && s.input(0) == x && s.input(1) == x) {
                                cubeMul = m;
                                sq = s;
                            }
                        }
                    }
                }
            }
            if (pow == null && cubeMul == null) {
                return Check.fail("no 0.044715 · x³ term");
            }
            if (!scalarFor(f.values().get(ha[0]), 0.5, x)) {
                return Check.fail("the 0.5 factor would broadcast x");
            }
            List<Node> nodes = new ArrayList<>();
            nodes.add(root);
            if (f.inner() != null) {
                nodes.add(f.inner());
            }
            nodes.addAll(List.of(add1, tanh, scale, inner, cube));
            List<Value[]> edges = new ArrayList<>();
            if (f.inner() != null) {
                edges.add(new Value[] {f.inner().output(0), root.output(0)});
            }
            edges.add(new Value[] {add1.output(0), f.readers().get(ha[1]).output(0)});
            edges.add(new Value[] {tanh.output(0), add1.output(0)});
            edges.add(new Value[] {scale.output(0), tanh.output(0)});
            edges.add(new Value[] {inner.output(0), scale.output(0)});
            edges.add(new Value[] {cube.output(0), inner.output(0)});
            if (pow != null) {
                nodes.add(pow);
                edges.add(new Value[] {pow.output(0), cube.output(0)});
            } else {
                nodes.add(cubeMul);
                nodes.add(sq);
                edges.add(new Value[] {cubeMul.output(0), cube.output(0)});
                edges.add(new Value[] {sq.output(0), cubeMul.output(0)});
            }
            return finish(ctx, root, x, nodes, edges, true);
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            rewriteMatch(m, r);
        }
    }

    /** The standard Gelu (opset 20): approximate "none" or "tanh". */
    static final class StandardGelu implements RewriteRule<Match> {
        private static final AttrKey<String> APPROXIMATE = AttrKey.ofString("approximate");

        @Override
        public String name() {
            return "standard-gelu";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Gelu");
        }

        @Override
        public Check<Match> check(Node root, RuleContext ctx) {
            String approximate = root.attrIfPresent(APPROXIMATE).orElse("none");
            if (!approximate.equals("none") && !approximate.equals("tanh")) {
                return Check.fail("unknown approximate=" + approximate);
            }
            return withBias(ctx, root, root.input(0), List.of(root), approximate.equals("tanh"));
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            rewriteMatch(m, r);
        }
    }
}
