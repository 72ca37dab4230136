package io.mconv.passes.cleanup;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.RewriteRulePass;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import io.mconv.schema.OpSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collapses two consecutive reshaping or casting ops into one, or into none, when the value between them has no
 * other reader and is not a graph output (the outer op is the rule's root; the inner one is its input's producer in
 * the same graph).
 *
 * <pre>
 * Before:  x ─► Transpose(perm=p1) ─► t ─► Transpose(perm=p2) ─► y
 * After:   x ─► Transpose(perm=c) ─► y           c[j] = p1[p2[j]]; no node at all when c is the identity
 *
 * Before:  x ─► Unsqueeze(axes=[0]) ─► u ─► Unsqueeze(axes=[3]) ─► y      (x of rank 2)
 * After:   x ─► Unsqueeze(axes=[0, 3]) ─► y
 * </pre>
 *
 * <p><b>Transpose∘Transpose</b>: element j of the result's shape is {@code mid[p2[j]] = x[p1[p2[j]]]}, so one
 * Transpose with {@code c[j] = p1[p2[j]]} computes the same. An absent perm reverses the axes (its rank is the other
 * perm's length; two absent perms compose to the identity at any rank).
 *
 * <p><b>Reshape∘Reshape</b>: a Reshape's result depends on its input only through the element count (which both
 * Reshapes preserve) and through 0 entries of its target, which copy the input's dimension when {@code allowzero=0}.
 * So {@code Reshape(Reshape(x, s1), s2)} equals {@code Reshape(x, s2)} when s2 is constant and either the outer
 * {@code allowzero=1} (0 is then a literal zero size) or every 0 of s2 is resolved: to the intermediate's size at
 * that position when shape inference knows it; to {@code s1[i]} when that is positive; kept as 0 when
 * {@code s1[i] = 0} with the inner {@code allowzero=0} (both then copy {@code x[i]}) or when the intermediate's
 * symbolic dimension is x's own at i. Otherwise refused. A -1 is inferred from the element count, which is x's too.
 * The Reshape-1 form (target in a {@code shape} attribute) is refused.
 *
 * <p><b>Squeeze/Unsqueeze chains</b> (any order): with constant axes (attribute before opset 13, input from 13 — the
 * form written follows the schema at the node's opset) and a known input rank, the chain is simulated on x's
 * dimensions: Unsqueeze axes are normalized against its output rank, Squeeze axes against its input rank, and a
 * Squeeze without axes needs every dimension's size known. The net effect is "x's dimensions in order, some dropped,
 * some new 1s inserted"; only dropped ⇒ one Squeeze, only inserted ⇒ one Unsqueeze, neither ⇒ no node, both ⇒
 * refused (no single op does that).
 *
 * <p><b>Cast∘Cast</b>: {@code Cast(Cast(x, T1), T2)} equals {@code Cast(x, T2)} when the first cast represents every
 * value of x's type X exactly (the second cast then sees x's own value). The lossless (widening) table X → T1:
 * <ul>
 *   <li>bool → every integer and float type (0 and 1 are exact everywhere);</li>
 *   <li>uint8 → uint16, uint32, uint64, int16, int32, int64, float16, bfloat16, float32, float64;</li>
 *   <li>int8 → int16, int32, int64, float16, bfloat16, float32, float64;</li>
 *   <li>uint16 → uint32, uint64, int32, int64, float32, float64;</li>
 *   <li>int16 → int32, int64, float32, float64;</li>
 *   <li>uint32 → uint64, int64, float64; int32 → int64, float64;</li>
 *   <li>float16 → float32, float64; bfloat16 → float32, float64; float32 → float64.</li>
 * </ul>
 * Nothing else (never float → int, int64 → float32, float16 ↔ bfloat16, float8 or 4-bit types). When T2 is X the
 * chain is a no-op and both go.
 *
 * <p>When a chain collapses to nothing and the outer output is a graph output, the input takes over its name, which
 * is possible only when a node of this graph produces it and it is not itself a graph output; otherwise one
 * Identity replaces the two nodes. Shape inference runs first (ranks, types). Subgraphs are visited like the main
 * graph ({@link RewriteRulePass}).
 */
public final class MergeChains extends RewriteRulePass {

    private static final AttrKey<long[]> PERM = AttrKey.ofInts("perm");
    private static final AttrKey<long[]> AXES = AttrKey.ofInts("axes");
    private static final AttrKey<Long> ALLOW_ZERO = AttrKey.ofInt("allowzero");
    private static final AttrKey<Long> TO = AttrKey.ofInt("to");

    private static final Map<DataType, Set<DataType>> LOSSLESS = losslessTable();

    public MergeChains() {
        super("merge-chains", "collapse Transpose, Reshape, Squeeze/Unsqueeze and widening Cast chains",
                OptimizationLevel.BASIC, List.of(new TransposeChain(), new ReshapeChain(), new AxesChain(),
                        new CastChain()));
    }

    @Override
    protected boolean needsShapes() {
        return true;
    }

    /** Whether casting any value of {@code from} to {@code to} is exact (the table in the class comment). */
    public static boolean isLossless(DataType from, DataType to) {
        return from == to || LOSSLESS.getOrDefault(from, Set.of()).contains(to);
    }

    private static Map<DataType, Set<DataType>> losslessTable() {
        Map<DataType, Set<DataType>> t = new java.util.EnumMap<>(DataType.class);
        t.put(DataType.BOOL, EnumSet.of(DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64,
                DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.FLOAT16, DataType.BFLOAT16,
                DataType.FLOAT, DataType.DOUBLE));
        t.put(DataType.UINT8, EnumSet.of(DataType.UINT16, DataType.UINT32, DataType.UINT64, DataType.INT16,
                DataType.INT32, DataType.INT64, DataType.FLOAT16, DataType.BFLOAT16, DataType.FLOAT, DataType.DOUBLE));
        t.put(DataType.INT8, EnumSet.of(DataType.INT16, DataType.INT32, DataType.INT64, DataType.FLOAT16,
                DataType.BFLOAT16, DataType.FLOAT, DataType.DOUBLE));
        t.put(DataType.UINT16, EnumSet.of(DataType.UINT32, DataType.UINT64, DataType.INT32, DataType.INT64,
                DataType.FLOAT, DataType.DOUBLE));
        t.put(DataType.INT16, EnumSet.of(DataType.INT32, DataType.INT64, DataType.FLOAT, DataType.DOUBLE));
        t.put(DataType.UINT32, EnumSet.of(DataType.UINT64, DataType.INT64, DataType.DOUBLE));
        t.put(DataType.INT32, EnumSet.of(DataType.INT64, DataType.DOUBLE));
        t.put(DataType.FLOAT16, EnumSet.of(DataType.FLOAT, DataType.DOUBLE));
        t.put(DataType.BFLOAT16, EnumSet.of(DataType.FLOAT, DataType.DOUBLE));
        t.put(DataType.FLOAT, EnumSet.of(DataType.DOUBLE));
        return t;
    }

    /** Readers of the outer output read the inner input; both nodes go (or one Identity stays, see above). */
    private static void bypass(Node inner, Node outer, Rewriter r) {
        Value in = inner.input(0);
        Value out = outer.output(0);
        if (ChainSupport.canBypass(out, in, outer)) {
            r.replace(out, in);
        } else {
            r.replace(out, r.addNode("", "Identity", List.of(in), List.of(), out.name()));
        }
        r.removeIfUnused(outer, inner);
    }

    /** The outer node reads the inner node's input; the inner node goes. */
    private static void skipInner(Node inner, Node outer, Rewriter r) {
        r.setInput(outer, 0, inner.input(0));
        r.removeIfUnused(inner);
    }

    // ---------------------------------------------------------------- Transpose

    private record TransposeMatch(Node inner, Node outer, long[] perm, boolean identity) {
    }

    private static final class TransposeChain implements RewriteRule<TransposeMatch> {

        @Override
        public String name() {
            return "merge-transpose-chain";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Transpose");
        }

        @Override
        public Check<TransposeMatch> check(Node outer, RuleContext ctx) {
            Check<Node> found = ChainSupport.privateProducer(outer, 0, "Transpose", ctx);
            if (found instanceof Check.Fail<Node> f) {
                return f.as();
            }
            Node inner = ((Check.Ok<Node>) found).match();
            long[] p1 = inner.attrIfPresent(PERM).orElse(null);
            long[] p2 = outer.attrIfPresent(PERM).orElse(null);
            if (p1 == null && p2 == null) {
                return Check.ok(new TransposeMatch(inner, outer, null, true));
            }
            int rank = p1 != null ? p1.length : p2.length;
            p1 = p1 != null ? p1 : reversed(rank);
            p2 = p2 != null ? p2 : reversed(rank);
            if (p1.length != p2.length || !isPermutation(p1) || !isPermutation(p2)) {
                return Check.fail("perms " + Arrays.toString(p1) + " and " + Arrays.toString(p2)
                        + " are not permutations of one rank");
            }
            long[] c = new long[rank];
            boolean identity = true;
            for (int j = 0; j < rank; j++) {
                c[j] = p1[(int) p2[j]];
                identity &= c[j] == j;
            }
            return Check.ok(new TransposeMatch(inner, outer, c, identity));
        }

        @Override
        public void rewrite(TransposeMatch m, Rewriter r) {
            if (m.identity()) {
                bypass(m.inner(), m.outer(), r);
            } else {
                r.setAttribute(m.outer(), Attribute.ofInts("perm", m.perm()));
                skipInner(m.inner(), m.outer(), r);
            }
        }

        private static long[] reversed(int rank) {
            long[] p = new long[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return p;
        }

        private static boolean isPermutation(long[] p) {
            boolean[] seen = new boolean[p.length];
            for (long v : p) {
                if (v < 0 || v >= p.length || seen[(int) v]) {
                    return false;
                }
                seen[(int) v] = true;
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- Reshape

    /** {@code newTarget} is null when the outer target stays as it is. */
    private record ReshapeMatch(Node inner, Node outer, long[] newTarget) {
    }

    private static final class ReshapeChain implements RewriteRule<ReshapeMatch> {

        @Override
        public String name() {
            return "merge-reshape-chain";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Reshape");
        }

        @Override
        public Check<ReshapeMatch> check(Node outer, RuleContext ctx) {
            Check<Node> found = ChainSupport.privateProducer(outer, 0, "Reshape", ctx);
            if (found instanceof Check.Fail<Node> f) {
                return f.as();
            }
            Node inner = ((Check.Ok<Node>) found).match();
            if (outer.attribute("shape").isPresent() || inner.attribute("shape").isPresent()
                    || outer.inputCount() < 2 || outer.input(1) == null) {
                return Check.fail("the target is a shape attribute (Reshape-1 form)");
            }
            Tensor target = ChainSupport.constantOf(outer.input(1));
            if (target == null) {
                return Check.fail("the outer target is not constant");
            }
            if (outer.attrIfPresent(ALLOW_ZERO).orElse(0L) != 0) {
                return Check.ok(new ReshapeMatch(inner, outer, null)); // 0 is a literal size: input-independent
            }
            long[] s2 = target.toLongArray();
            long[] resolved = s2.clone();
            boolean changed = false;
            for (int i = 0; i < s2.length; i++) {
                if (s2[i] != 0) {
                    continue;
                }
                Long v = resolveZero(inner, i);
                if (v == null) {
                    return Check.fail("target entry " + i + " is 0 (copies the intermediate's dimension " + i
                            + "), which is not known to equal a constant or x's own dimension");
                }
                changed |= v != 0;
                resolved[i] = v;
            }
            return Check.ok(new ReshapeMatch(inner, outer, changed ? resolved : null));
        }

        /** What a 0 at position i of the outer target stands for, relative to x; null when not known. */
        private static Long resolveZero(Node inner, int i) {
            Shape mid = inner.output(0).shape();
            if (mid != null && i < mid.rank() && mid.dim(i).isKnown()) {
                return mid.dim(i).value();
            }
            Tensor s1t = ChainSupport.constantOf(inner.input(1));
            if (s1t != null) {
                long[] s1 = s1t.toLongArray();
                if (i < s1.length && s1[i] > 0) {
                    return s1[i];
                }
                if (i < s1.length && s1[i] == 0 && inner.attrIfPresent(ALLOW_ZERO).orElse(0L) == 0) {
                    return 0L; // the inner 0 copied x[i]; the outer 0 applied to x copies x[i] too
                }
            }
            Shape xs = inner.input(0).shape();
            if (mid != null && xs != null && i < mid.rank() && i < xs.rank()) {
                Dim a = mid.dim(i);
                Dim b = xs.dim(i);
                if (a.isSymbolic() && b.isSymbolic() && a.param().equals(b.param())) {
                    return 0L;
                }
            }
            return null;
        }

        @Override
        public void rewrite(ReshapeMatch m, Rewriter r) {
            if (m.newTarget() != null) {
                Value old = m.outer().input(1);
                Value t = r.addConstant(m.outer().name().isEmpty() ? "reshape_shape" : m.outer().name() + "_shape",
                        Tensor.ofLongs("", new long[] {m.newTarget().length}, m.newTarget()));
                r.setInput(m.outer(), 1, t);
                r.removeConstantIfUnused(old);
            }
            Value innerTarget = m.inner().input(1);
            skipInner(m.inner(), m.outer(), r);
            if (innerTarget != null) {
                r.removeConstantIfUnused(innerTarget);
            }
        }
    }

    // ---------------------------------------------------------------- Squeeze / Unsqueeze

    /** op is "Squeeze", "Unsqueeze" or null (no node); axes sorted; attributeForm: axes as an attribute. */
    private record AxesMatch(Node inner, Node outer, String op, long[] axes, boolean attributeForm) {
    }

    private static final class AxesChain implements RewriteRule<AxesMatch> {

        private static final int NEW = -1;

        @Override
        public String name() {
            return "merge-squeeze-unsqueeze-chain";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Squeeze", "Unsqueeze");
        }

        @Override
        public Check<AxesMatch> check(Node outer, RuleContext ctx) {
            Value mid = outer.input(0);
            Node inner = ctx.producerOf(mid, "Squeeze");
            Check<Node> found = ChainSupport.privateProducer(outer, 0, inner != null ? "Squeeze" : "Unsqueeze", ctx);
            if (found instanceof Check.Fail<Node> f) {
                return f.as();
            }
            inner = ((Check.Ok<Node>) found).match();
            Value x = inner.input(0);
            Shape xs = x.shape();
            if (xs == null) {
                return Check.fail("the rank of " + x.name() + " is unknown");
            }
            List<Integer> dims = new ArrayList<>();
            for (int i = 0; i < xs.rank(); i++) {
                dims.add(i);
            }
            TreeSet<Long> dropped = new TreeSet<>();
            for (Node n : List.of(inner, outer)) {
                String failure = apply(n, dims, dropped, xs);
                if (failure != null) {
                    return Check.fail(failure);
                }
            }
            List<Long> inserted = new ArrayList<>();
            for (int i = 0; i < dims.size(); i++) {
                if (dims.get(i) == NEW) {
                    inserted.add((long) i);
                }
            }
            if (!dropped.isEmpty() && !inserted.isEmpty()) {
                return Check.fail("the chain removes dimensions " + dropped + " and inserts " + inserted
                        + "; no single Squeeze or Unsqueeze does that");
            }
            if (dropped.isEmpty() && inserted.isEmpty()) {
                return Check.ok(new AxesMatch(inner, outer, null, null, false));
            }
            String op = dropped.isEmpty() ? "Unsqueeze" : "Squeeze";
            if (!ctx.opsetHas("", op)) {
                return Check.fail(op + " does not exist at opset " + ctx.defaultOpset());
            }
            List<Long> axes = dropped.isEmpty() ? inserted : new ArrayList<>(dropped);
            boolean attributeForm = ctx.pass().schemas().get("", op, outer.opsetVersion())
                    .flatMap((OpSchema s) -> s.attribute("axes")).isPresent();
            return Check.ok(new AxesMatch(inner, outer, op, axes.stream().mapToLong(Long::longValue).toArray(),
                    attributeForm));
        }

        /** Applies one node to the list of x's dimensions (NEW for an inserted 1); returns a failure or null. */
        private static String apply(Node n, List<Integer> dims, Set<Long> dropped, Shape xs) {
            long[] axes;
            if (n.attribute("axes").isPresent()) {
                axes = n.attr(AXES);
            } else if (n.inputCount() > 1 && n.input(1) != null) {
                Tensor t = ChainSupport.constantOf(n.input(1));
                if (t == null) {
                    return "the axes of " + n + " are not constant";
                }
                axes = t.toLongArray();
            } else {
                axes = null;
            }
            boolean unsqueeze = n.opType().equals("Unsqueeze");
            if (axes == null) {
                if (unsqueeze) {
                    return n + " has no axes";
                }
                for (int i = dims.size() - 1; i >= 0; i--) {
                    int d = dims.get(i);
                    if (d == NEW || (xs.dim(d).isKnown() && xs.dim(d).value() == 1)) {
                        remove(dims, i, dropped);
                    } else if (!xs.dim(d).isKnown()) {
                        return n + " has no axes and dimension " + d + " of the input has no known size";
                    }
                }
                return null;
            }
            int rank = unsqueeze ? dims.size() + axes.length : dims.size();
            TreeSet<Integer> norm = new TreeSet<>();
            for (long a : axes) {
                long v = a < 0 ? a + rank : a;
                if (v < 0 || v >= rank || !norm.add((int) v)) {
                    return n + " has axes " + Arrays.toString(axes) + " out of range or repeated for rank " + rank;
                }
            }
            if (unsqueeze) {
                for (int a : norm) {
                    dims.add(a, NEW);
                }
            } else {
                for (int a : norm.descendingSet()) {
                    int d = dims.get(a);
                    if (d != NEW && xs.dim(d).isKnown() && xs.dim(d).value() != 1) {
                        return n + " squeezes a dimension of size " + xs.dim(d).value();
                    }
                    remove(dims, a, dropped);
                }
            }
            return null;
        }

        private static void remove(List<Integer> dims, int index, Set<Long> dropped) {
            int d = dims.remove(index);
            if (d != NEW) {
                dropped.add((long) d);
            }
        }

        @Override
        public void rewrite(AxesMatch m, Rewriter r) {
            if (m.op() == null) {
                bypass(m.inner(), m.outer(), r);
                return;
            }
            Value x = m.inner().input(0);
            Value out = m.outer().output(0);
            Value y;
            if (m.attributeForm()) {
                y = r.addNode("", m.op(), List.of(x), List.of(Attribute.ofInts("axes", m.axes())), out.name());
            } else {
                Value axes = r.addConstant(m.op().toLowerCase() + "_axes",
                        Tensor.ofLongs("", new long[] {m.axes().length}, m.axes()));
                y = r.addNode("", m.op(), List.of(x, axes), List.of(), out.name());
            }
            Value innerAxes = m.inner().inputCount() > 1 ? m.inner().input(1) : null;
            Value outerAxes = m.outer().inputCount() > 1 ? m.outer().input(1) : null;
            r.replace(out, y);
            r.removeIfUnused(m.outer(), m.inner());
            for (Value v : new Value[] {innerAxes, outerAxes}) {
                if (v != null) {
                    r.removeConstantIfUnused(v);
                }
            }
        }
    }

    // ---------------------------------------------------------------- Cast

    private record CastMatch(Node inner, Node outer, boolean noOp) {
    }

    private static final class CastChain implements RewriteRule<CastMatch> {

        @Override
        public String name() {
            return "merge-cast-chain";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Cast");
        }

        @Override
        public Check<CastMatch> check(Node outer, RuleContext ctx) {
            Check<Node> found = ChainSupport.privateProducer(outer, 0, "Cast", ctx);
            if (found instanceof Check.Fail<Node> f) {
                return f.as();
            }
            Node inner = ((Check.Ok<Node>) found).match();
            for (Node n : List.of(inner, outer)) {
                if (n.attribute("to").map(a -> a.kind() != io.mconv.ir.AttributeKind.INT).orElse(true)) {
                    return Check.fail(n + " has no integer 'to' (Cast-1 names the type as a string)");
                }
            }
            DataType x = inner.input(0).elemType();
            DataType t1 = DataType.fromCode((int) (long) inner.attr(TO)).orElse(null);
            DataType t2 = DataType.fromCode((int) (long) outer.attr(TO)).orElse(null);
            if (x == null || t1 == null || t2 == null) {
                return Check.fail("the input type or a cast's target type is unknown");
            }
            if (!isLossless(x, t1)) {
                return Check.fail("the cast " + x + " -> " + t1 + " is not lossless for every " + x + " value");
            }
            return Check.ok(new CastMatch(inner, outer, t2 == x));
        }

        @Override
        public void rewrite(CastMatch m, Rewriter r) {
            if (m.noOp()) {
                bypass(m.inner(), m.outer(), r);
            } else {
                skipInner(m.inner(), m.outer(), r);
            }
        }
    }
}
