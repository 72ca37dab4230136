package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtPatterns.constant;
import static io.mconv.passes.ort.OrtPatterns.notFloat32;
import static io.mconv.passes.ort.OrtPatterns.notPrivate;
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
 * {@code ort-fuse-attention}: the written-out scaled dot-product self/cross attention of a BERT-style export becomes
 * ONNX Runtime's {@code com.microsoft::MultiHeadAttention}.
 *
 * <pre>
 * Before (q, k, v: (B, S, H·D) / (B, L, H·D), e.g. the Q/K/V projections MatMul(x, W) + b):
 *   qh = Transpose(Reshape(q, [B|0, S|0, H, D]), perm=[0,2,1,3])        (B, H, S, D)
 *   kt = Transpose(Reshape(k, [B|0, L|0, H, D]), perm=[0,2,3,1])        (B, H, D, L)
 *   vh = Transpose(Reshape(v, [B|0, L|0, H, D]), perm=[0,2,1,3])        (B, H, L, D)
 *   s  = Mul(MatMul(qh, kt), c)      (or Div(…, 1/c), or no scale, or com.microsoft::FusedMatMul(qh, kt, alpha=c)
 *                                      (transB=1 with K transposed [0,2,1,3]) as ort-fuse-fused-matmul leaves it)
 *   p  = Softmax(s, axis=-1)
 *   y  = Reshape(Transpose(MatMul(p, vh), perm=[0,2,1,3]), [B|0, S|0, H·D])
 * After:
 *   y  = com.microsoft::MultiHeadAttention(q, k, v, num_heads=H, scale=c)
 * </pre>
 * The reshape targets may be constants ({@code [0, 0, 4, 32]} after simplify-reshape-shape) or assembled at run
 * time (Shape/Gather/Unsqueeze/Concat); the shape computations left without readers are removed with the block.
 *
 * <p>Correct because MultiHeadAttention with separate query/key/value (no bias, mask, past or attention bias)
 * computes, per batch b and head h, softmax(scale · Q_bh · K_bhᵀ) · V_bh over the last axis, where Q_bh is the h-th
 * slice of D columns of q (B, S, H·D) — exactly what the Reshape to (B, S, H, D) and Transpose [0,2,1,3] select —
 * and writes head h to columns h·D … h·D+D-1 of the (B, S, H·D) output, which is what Transpose [0,2,1,3] and the
 * Reshape back to (B, S, H·D) do. The scale is passed explicitly (the matched constant, any positive finite value),
 * so it need not be 1/√D. Evidence the pass requires: inferred shapes proving the split Reshapes keep dims 0 and
 * 1 of their input and produce (·, ·, H, D) with known H and D, the target's last two entries being the literal
 * constants H and D (and the merge target's last entry H·D or -1), q/k/v rank 3 with last dim H·D, equal batch dims
 * (known or the same symbol: a broadcast batch of 1 is refused) and equal key/value sequence dims, and the merge
 * Reshape's output (B, S, H·D) with q's B and S. Refused with a reason: an Add (mask/bias) or anything else between
 * the scores and Softmax, Softmax not over the last axis, another transpose layout, an intermediate read by other
 * nodes or that is a graph output, non-float32, unknown head count or head size, a scale that is not a positive
 * one-element float32 constant, a graph that cannot import MultiHeadAttention. The projection biases are left as
 * Adds (not folded into MultiHeadAttention's packed bias). Subgraphs are visited ({@link OrtRulePass}).
 */
public final class FuseAttention {

    public static final String NAME = "ort-fuse-attention";
    static final String OP = "MultiHeadAttention";
    private static final AttrKey<long[]> PERM = AttrKey.ofInts("perm");
    private static final AttrKey<Long> AXIS = AttrKey.ofInt("axis");
    private static final AttrKey<Long> AXIS_CONCAT = AttrKey.ofInt("axis");
    private static final AttrKey<Float> ALPHA = AttrKey.ofFloat("alpha");
    private static final long[] HEADS_FIRST = {0, 2, 1, 3};
    private static final long[] KEY_TRANSPOSED = {0, 2, 3, 1};
    /** Ops of a reshape-target computation that may be dropped once no one reads them. */
    private static final Set<String> SHAPE_OPS = Set.of("Shape", "Gather", "Unsqueeze", "Concat", "Constant",
            "Cast", "Squeeze", "Slice");

    private FuseAttention() {
    }

    public static OrtRulePass pass() {
        return new OrtRulePass(NAME, "Reshape/Transpose -> MatMul -> scale -> Softmax -> MatMul -> Transpose/Reshape "
                + "(multi-head scaled dot-product attention) into com.microsoft MultiHeadAttention",
                List.of(new Rule()));
    }

    record Match(Node merge, Value query, Value key, Value value, long numHeads, float scale, List<Node> block,
                 List<Value> leftovers) {
    }

    static boolean sameDim(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return a.value().longValue() == b.value().longValue();
        }
        return a.isSymbolic() && b.isSymbolic() && a.param().equals(b.param());
    }

    /** A split Reshape: (B, S, H·D) -> (B, S, H, D). */
    record Split(Node reshape, Value input, long heads, long headSize) {
    }

    static final class Rule implements RewriteRule<Match> {
        @Override
        public String name() {
            return "attention";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Reshape");
        }

        @Override
        public Check<Match> check(Node merge, RuleContext ctx) {
            List<Node> block = new ArrayList<>();
            List<Value> leftovers = new ArrayList<>();
            block.add(merge);
            // y = Reshape(Transpose(MatMul(p, vh), [0,2,1,3]), [B, S, H·D])
            Node t3 = producer(merge.input(0), "Transpose");
            if (t3 == null) {
                return Check.noMatch("the Reshape's input is not a Transpose (not the merge of attention heads)");
            }
            if (!Arrays.equals(perm(t3), HEADS_FIRST)) {
                return Check.fail("the Transpose before the Reshape has perm " + Arrays.toString(perm(t3))
                        + ", not [0, 2, 1, 3]");
            }
            Node pv = producer(t3.input(0), "MatMul");
            if (pv == null) {
                return Check.fail("the heads Transpose does not read a MatMul (probabilities x V)");
            }
            Node softmax = producer(pv.input(0), "Softmax");
            if (softmax == null) {
                return Check.fail("the MatMul before the heads Transpose does not read a Softmax");
            }
            String reason = firstOf(notPrivate(ctx, merge.input(0), merge), notPrivate(ctx, t3.input(0), t3),
                    notPrivate(ctx, pv.input(0), pv));
            if (reason != null) {
                return Check.fail(reason);
            }
            block.addAll(List.of(t3, pv, softmax));
            int scoresRank = OrtPatterns.rank(softmax.input(0));
            if (scoresRank != 4) {
                return Check.fail("the attention scores " + softmax.input(0).name() + " are not of known rank 4");
            }
            long axis = softmax.attr(AXIS);
            if (axis != -1 && axis != 3) {
                return Check.fail("Softmax over axis " + axis + ", not the last axis");
            }
            // the scale: Mul by c, Div by 1/c, FusedMatMul alpha, or none
            Value scores = softmax.input(0);
            reason = notPrivate(ctx, scores, softmax);
            if (reason != null) {
                return Check.fail(reason);
            }
            double scale = 1.0;
            Node qk;
            Node scaleNode = null;
            Node sp = scores.producer();
            if (sp != null && sp.isDefaultDomain() && sp.opType().equals("Add")) {
                return Check.fail("an Add (an attention mask or bias) between the scores and Softmax is not fused");
            }
            if (sp != null && sp.isDefaultDomain() && (sp.opType().equals("Mul") || sp.opType().equals("Div"))) {
                scaleNode = sp;
                boolean div = sp.opType().equals("Div");
                int productAt = -1;
                for (int i = 0; i < 2 && productAt < 0; i++) {
                    if (isProduct(sp.input(i)) && (!div || i == 0)) {
                        productAt = i;
                    }
                }
                if (productAt < 0) {
                    return Check.fail("the " + sp.opType() + " before Softmax does not scale a MatMul");
                }
                Value c = sp.input(1 - productAt);
                Float s = OrtPatterns.scalar(c);
                if (s == null || constant(c).rank() > 4) {
                    return Check.fail("the " + sp.opType() + " before Softmax is not by a one-element float32 "
                            + "constant");
                }
                scale = div ? 1.0 / s : s;
                qk = sp.input(productAt).producer();
                reason = notPrivate(ctx, sp.input(productAt), sp);
                if (reason != null) {
                    return Check.fail(reason);
                }
                leftovers.add(c);
            } else if (isProduct(scores)) {
                qk = sp;
            } else {
                return Check.fail("Softmax does not read the (scaled) Q·Kᵀ MatMul"
                        + (sp == null ? "" : " but a " + sp.opType()));
            }
            boolean transB = false;
            if (!qk.isDefaultDomain()) {
                if (attrInt(qk, "transA") != 0 || attrInt(qk, "transBatchA") != 0 || attrInt(qk, "transBatchB") != 0) {
                    return Check.fail("FusedMatMul with transA/transBatchA/transBatchB");
                }
                transB = attrInt(qk, "transB") != 0;
                scale *= qk.attrIfPresent(ALPHA).orElse(1f);
            }
            if (scaleNode != null) {
                block.add(scaleNode);
            }
            block.add(qk);
            float fscale = (float) scale;
            if (!(fscale > 0) || Float.isInfinite(fscale)) {
                return Check.fail("attention scale " + fscale + " is not a positive finite number");
            }
            // the three head splits
            Node qT = producer(qk.input(0), "Transpose");
            Node kT = producer(qk.input(1), "Transpose");
            Node vT = producer(pv.input(1), "Transpose");
            if (qT == null || kT == null || vT == null) {
                return Check.fail("Q, K or V does not come from a Transpose of the heads");
            }
            if (!Arrays.equals(perm(qT), HEADS_FIRST) || !Arrays.equals(perm(vT), HEADS_FIRST)) {
                return Check.fail("the Q or V Transpose has perm " + Arrays.toString(perm(qT)) + " / "
                        + Arrays.toString(perm(vT)) + ", not [0, 2, 1, 3]");
            }
            long[] kPerm = transB ? HEADS_FIRST : KEY_TRANSPOSED;
            if (!Arrays.equals(perm(kT), kPerm)) {
                return Check.fail("the K Transpose has perm " + Arrays.toString(perm(kT)) + ", not "
                        + Arrays.toString(kPerm) + (transB ? " (with FusedMatMul transB=1)" : ""));
            }
            reason = firstOf(notPrivate(ctx, qk.input(0), qk), notPrivate(ctx, qk.input(1), qk),
                    notPrivate(ctx, pv.input(1), pv));
            if (reason != null) {
                return Check.fail(reason);
            }
            block.addAll(List.of(qT, kT, vT));
            Split[] splits = new Split[3];
            Node[] ts = {qT, kT, vT};
            String[] names = {"Q", "K", "V"};
            for (int i = 0; i < 3; i++) {
                Check<Split> s = split(ctx, ts[i], names[i]);
                if (s instanceof Check.Fail<Split> f) {
                    return f.as();
                }
                splits[i] = ((Check.Ok<Split>) s).match();
                block.add(splits[i].reshape());
                leftovers.add(splits[i].reshape().input(1));
            }
            long heads = splits[0].heads();
            long headSize = splits[0].headSize();
            for (Split s : splits) {
                if (s.heads() != heads || s.headSize() != headSize) {
                    return Check.fail("Q, K and V are split into different head counts or sizes");
                }
            }
            Shape q = splits[0].input().shape();
            Shape k = splits[1].input().shape();
            Shape v = splits[2].input().shape();
            if (!sameDim(q.dim(0), k.dim(0)) || !sameDim(q.dim(0), v.dim(0))) {
                return Check.fail("the batch dims of Q, K and V are not provably equal (" + q + ", " + k + ", " + v
                        + ")");
            }
            if (!sameDim(k.dim(1), v.dim(1))) {
                return Check.fail("the sequence dims of K and V are not provably equal (" + k + ", " + v + ")");
            }
            for (Split s : splits) {
                reason = notFloat32(s.input());
                if (reason != null) {
                    return Check.fail(reason);
                }
            }
            // the merge back to (B, S, H·D)
            Shape out = merge.output(0).shape();
            if (out == null || out.rank() != 3 || !sameDim(out.dim(0), q.dim(0)) || !sameDim(out.dim(1), q.dim(1))
                    || !out.dim(2).isKnown() || out.dim(2).value() != heads * headSize) {
                return Check.fail("the merge Reshape's output " + out + " is not provably (" + q.dim(0) + ", "
                        + q.dim(1) + ", " + heads * headSize + ")");
            }
            long[] tail = literalTail(merge.input(1), 1);
            if (tail == null || tail[0] != heads * headSize && tail[0] != -1) {
                return Check.fail("the merge Reshape's target does not end in the literal " + heads * headSize);
            }
            leftovers.add(merge.input(1));
            String missing = ContribSchemas.unavailable(ctx, OP);
            if (missing != null) {
                return Check.fail(missing);
            }
            return Check.ok(new Match(merge, splits[0].input(), splits[1].input(), splits[2].input(), heads, fscale,
                    block, leftovers));
        }

        /** The Reshape under a heads Transpose: (B, S, H·D) to (B, S, H, D), private to the Transpose. */
        private static Check<Split> split(RuleContext ctx, Node transpose, String which) {
            Node r = producer(transpose.input(0), "Reshape");
            if (r == null) {
                return Check.fail("the " + which + " Transpose does not read a Reshape");
            }
            String reason = notPrivate(ctx, transpose.input(0), transpose);
            if (reason != null) {
                return Check.fail(reason);
            }
            Value in = r.input(0);
            Shape s = in.shape();
            Shape o = r.output(0).shape();
            if (s == null || s.rank() != 3 || !s.dim(2).isKnown()) {
                return Check.fail(which + " input " + in.name() + " is not of rank 3 with a known hidden size");
            }
            if (o == null || o.rank() != 4 || !o.dim(2).isKnown() || !o.dim(3).isKnown()) {
                return Check.fail("unknown head count or head size: the " + which + " Reshape's output is " + o);
            }
            if (!sameDim(s.dim(0), o.dim(0)) || !sameDim(s.dim(1), o.dim(1))) {
                return Check.fail("the " + which + " Reshape " + s + " -> " + o + " is not provably a split of the "
                        + "last axis");
            }
            long heads = o.dim(2).value();
            long headSize = o.dim(3).value();
            if (heads <= 0 || headSize <= 0 || s.dim(2).value() != heads * headSize) {
                return Check.fail("the " + which + " Reshape " + s + " -> " + o + " does not split the hidden size "
                        + "into heads");
            }
            long[] tail = literalTail(r.input(1), 2);
            if (tail == null || tail[0] != heads || tail[1] != headSize) {
                return Check.fail("unknown head count: the " + which + " Reshape's target does not end in the "
                        + "literal constants " + heads + ", " + headSize);
            }
            return Check.ok(new Split(r, in, heads, headSize));
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            ContribSchemas.ensureImport(r.graph());
            Value y = m.merge().output(0);
            Value out = r.addNode(ContribSchemas.DOMAIN, OP, List.of(m.query(), m.key(), m.value()),
                    List.of(Attribute.ofInt("num_heads", m.numHeads()), Attribute.ofFloat("scale", m.scale())),
                    y.name() + "_mha");
            r.replace(y, out);
            for (Node n : m.block()) {
                r.removeIfUnused(n);
            }
            for (Value v : m.leftovers()) {
                dropIfDead(v, r);
            }
        }
    }

    /** Whether {@code v} is produced by a MatMul or a com.microsoft FusedMatMul. */
    private static boolean isProduct(Value v) {
        Node p = v == null ? null : v.producer();
        if (p == null) {
            return false;
        }
        return p.isDefaultDomain() ? p.opType().equals("MatMul")
                : p.domain().equals(ContribSchemas.DOMAIN) && p.opType().equals("FusedMatMul");
    }

    private static long attrInt(Node n, String name) {
        return n.attrIfPresent(AttrKey.ofInt(name)).orElse(0L);
    }

    private static long[] perm(Node transpose) {
        return transpose.attrIfPresent(PERM).orElse(null);
    }

    private static String firstOf(String... reasons) {
        for (String s : reasons) {
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /**
     * The last {@code n} entries of a reshape target when they are literal constants: of a constant target, or
     * the trailing constant pieces of a Concat (axis 0) that assembles it at run time; else null.
     */
    static long[] literalTail(Value target, int n) {
        Tensor t = constant(target);
        if (t != null) {
            return integral(t) && t.rank() == 1 && t.dims()[0] >= n ? tail(t.toLongArray(), n) : null;
        }
        Node concat = producer(target, "Concat");
        if (concat == null || concat.attr(AXIS_CONCAT) != 0) {
            return null;
        }
        long[] acc = new long[0];
        for (int i = concat.inputCount() - 1; i >= 0 && acc.length < n; i--) {
            Tensor piece = constant(concat.input(i));
            if (piece == null || !integral(piece) || piece.rank() > 1) {
                return null;
            }
            long[] vals = piece.toLongArray();
            long[] merged = new long[vals.length + acc.length];
            System.arraycopy(vals, 0, merged, 0, vals.length);
            System.arraycopy(acc, 0, merged, vals.length, acc.length);
            acc = merged;
        }
        return acc.length >= n ? tail(acc, n) : null;
    }

    private static boolean integral(Tensor t) {
        return t.dataType() == DataType.INT64 || t.dataType() == DataType.INT32;
    }

    private static long[] tail(long[] a, int n) {
        return Arrays.copyOfRange(a, a.length - n, a.length);
    }

    /**
     * Removes the computation of {@code v} (a reshape target or the scale constant) once nothing reads it: an
     * unread initializer, or an unread shape-arithmetic node of this graph and, in turn, its inputs.
     */
    private static void dropIfDead(Value v, Rewriter r) {
        if (v == null || v.hasUses() || v.isGraphOutput() || v.isGraphInput()) {
            return;
        }
        if (v.isInitializer()) {
            if (v.graph() == r.graph()) {
                r.removeConstantIfUnused(v);
            }
            return;
        }
        Node p = v.producer();
        if (p == null || p.graph() != r.graph() || !p.isDefaultDomain() || !SHAPE_OPS.contains(p.opType())
                || !p.subgraphs().isEmpty()) {
            return;
        }
        List<Value> inputs = new ArrayList<>(p.inputs());
        if (r.removeIfUnused(p) == 1) {
            for (Value in : inputs) {
                dropIfDead(in, r);
            }
        }
    }
}
