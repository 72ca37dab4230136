package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtPatterns.constant;
import static io.mconv.passes.ort.OrtPatterns.notFloat32;
import static io.mconv.passes.ort.OrtPatterns.producer;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ort-fuse-fused-matmul}: transposes of the last two axes feeding a MatMul, and a scalar Mul after it,
 * become attributes of ONNX Runtime's FusedMatMul.
 *
 * <pre>
 * Before:                                          After:
 *   at = Transpose(a, perm=[0..,r-1,r-2])            y = com.microsoft::FusedMatMul(a, b,
 *   m  = MatMul(at, b)                                     transA=1, transB=0, alpha=c)
 *   y  = Mul(m, c)         (c: one-element float32 constant, either operand order)
 * </pre>
 *
 * <p>Correct because FusedMatMul(A, B) = alpha · (A or Aᵀ) · (B or Bᵀ) with ᵀ swapping the last two axes, which is
 * what such a Transpose does, and a product of a matrix product with a scalar may be scaled anywhere. A
 * FusedMatMul this pass (or anyone) made is matched like a MatMul, so Transposes or a Mul that appear later are
 * absorbed too (toggling transA/transB, multiplying alpha) as long as its transBatchA/B are 0. The rule is rooted
 * at the Mul when there is one, so every removed node precedes the root. Refused: a Transpose or MatMul
 * output with other readers or that is a graph output, a constant of more elements or of a rank above the
 * product's (it would broadcast), non-float32, nothing to absorb. Subgraphs are visited ({@link OrtRulePass}).
 */
public final class FuseFusedMatMul {

    public static final String NAME = "ort-fuse-fused-matmul";
    private static final AttrKey<Float> ALPHA = AttrKey.ofFloat("alpha");
    private static final AttrKey<Long> TRANS_A = AttrKey.ofInt("transA");
    private static final AttrKey<Long> TRANS_B = AttrKey.ofInt("transB");
    private static final AttrKey<Long> TRANS_BATCH_A = AttrKey.ofInt("transBatchA");
    private static final AttrKey<Long> TRANS_BATCH_B = AttrKey.ofInt("transBatchB");
    private static final AttrKey<long[]> PERM = AttrKey.ofInts("perm");

    private FuseFusedMatMul() {
    }

    public static OrtRulePass pass() {
        return new OrtRulePass(NAME, "Transpose(last two axes) -> MatMul -> Mul(scalar) into com.microsoft "
                + "FusedMatMul (transA/transB/alpha)", List.of(new Rule()));
    }

    record Match(Node root, Value a, Value b, boolean transA, boolean transB, float alpha, List<Node> absorbed,
                 Node mul, Value mulConstant) {
    }

    /** Whether perm swaps the last two axes and keeps the others. */
    static boolean swapsLastTwo(long[] perm) {
        int r = perm.length;
        if (r < 2) {
            return false;
        }
        for (int i = 0; i < r - 2; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return perm[r - 2] == r - 1 && perm[r - 1] == r - 2;
    }

    static final class Rule implements RewriteRule<Match> {
        @Override
        public String name() {
            return "fused-matmul";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("MatMul", ContribSchemas.DOMAIN + "::FusedMatMul", "Mul");
        }

        /**
         * Rooted at the scalar Mul when there is one (so every node the rewrite removes comes at or before the
         * root, which a rule pass's sweep needs), else at the MatMul / FusedMatMul.
         */
        @Override
        public Check<Match> check(Node root, RuleContext ctx) {
            if (root.isDefaultDomain() && root.opType().equals("Mul")) {
                return checkMul(root, ctx);
            }
            Value y = root.output(0);
            if (y.uses().size() == 1 && !y.isGraphOutput() && scaleOf(y.uses().get(0).node(), y) != null) {
                return Check.fail("left to the scalar Mul after it");
            }
            return checkMatMul(root, ctx, null, null, 1f, new ArrayList<>());
        }

        /** The scalar a Mul multiplies {@code y} by if it qualifies as a FusedMatMul alpha; else null. */
        private static Float scaleOf(Node mul, Value y) {
            if (!mul.isDefaultDomain() || !mul.opType().equals("Mul") || mul.inputCount() != 2) {
                return null;
            }
            Value other = OrtPatterns.other(mul, y);
            Float s = OrtPatterns.scalar(other);
            return s != null && !broadcasts(y, other) ? s : null;
        }

        /** Whether multiplying {@code y} by the one-element constant {@code c} could raise its rank. */
        private static boolean broadcasts(Value y, Value c) {
            int r = constant(c).rank();
            return r > 0 && OrtPatterns.rank(y) < r;
        }

        private static Check<Match> checkMul(Node mul, RuleContext ctx) {
            for (int i = 0; i < 2; i++) {
                Value y = mul.input(i);
                Node mm = y == null ? null : y.producer();
                if (mm == null || !(mm.isDefaultDomain() ? mm.opType().equals("MatMul")
                        : mm.domain().equals(ContribSchemas.DOMAIN) && mm.opType().equals("FusedMatMul"))) {
                    continue;
                }
                Value other = mul.input(1 - i);
                Float s = OrtPatterns.scalar(other);
                if (s == null) {
                    return Check.fail("the Mul after the MatMul is not by a one-element float32 constant");
                }
                if (broadcasts(y, other)) {
                    return Check.fail("the scalar of the Mul has rank " + constant(other).rank()
                            + " and would broadcast the product (rank " + OrtPatterns.rank(y) + ")");
                }
                String reason = OrtPatterns.notPrivate(ctx, y, mul);
                if (reason != null) {
                    return Check.fail(reason);
                }
                return checkMatMul(mm, ctx, mul, other, s, new ArrayList<>());
            }
            return Check.noMatch("not a Mul of a MatMul");
        }

        private static Check<Match> checkMatMul(Node root, RuleContext ctx, Node mul, Value c, float scale,
                                                List<String> refusals) {
            boolean fused = !root.isDefaultDomain();
            boolean transA = false;
            boolean transB = false;
            float alpha = scale;
            if (fused) {
                if (attrInt(root, TRANS_BATCH_A) != 0 || attrInt(root, TRANS_BATCH_B) != 0) {
                    return Check.fail("FusedMatMul with transBatchA/transBatchB");
                }
                transA = attrInt(root, TRANS_A) != 0;
                transB = attrInt(root, TRANS_B) != 0;
                alpha *= root.attrIfPresent(ALPHA).orElse(1f);
            }
            String reason = notFloat32(root.input(0));
            if (reason != null) {
                return Check.fail(reason);
            }
            List<Node> absorbed = new ArrayList<>();
            Value a = root.input(0);
            Value b = root.input(1);
            Node ta = transposeOf(a, root, refusals);
            if (ta != null) {
                a = ta.input(0);
                transA = !transA;
                absorbed.add(ta);
            }
            Node tb = transposeOf(b, root, refusals);
            if (tb != null && tb != ta) {
                b = tb.input(0);
                transB = !transB;
                absorbed.add(tb);
            }
            if (absorbed.isEmpty() && mul == null) {
                return refusals.isEmpty()
                        ? Check.noMatch("no Transpose of the last two axes before it and no scalar Mul after it")
                        : Check.fail(String.join("; ", refusals));
            }
            String missing = ContribSchemas.unavailable(ctx, "FusedMatMul");
            if (missing != null) {
                return Check.fail(missing);
            }
            return Check.ok(new Match(root, a, b, transA, transB, alpha, absorbed, mul, c));
        }

        private static long attrInt(Node n, AttrKey<Long> key) {
            return n.attrIfPresent(key).orElse(0L);
        }

        /** The Transpose producing {@code v} if it swaps the last two axes and only {@code root} reads it. */
        private static Node transposeOf(Value v, Node root, List<String> refusals) {
            Node t = producer(v, "Transpose");
            if (t == null) {
                return null;
            }
            Optional<long[]> perm = t.attrIfPresent(PERM);
            if (perm.isEmpty() || !swapsLastTwo(perm.get())) {
                refusals.add("the Transpose before it permutes " + perm.map(Arrays::toString)
                        .orElse("all axes in reverse") + ", not just the last two axes");
                return null;
            }
            if (v.isGraphOutput() || v.uses().stream().anyMatch(u -> u.node() != root)) {
                refusals.add("Transpose output " + v.name() + " has other readers or is a graph output");
                return null;
            }
            return t;
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            ContribSchemas.ensureImport(r.graph());
            List<Attribute> attrs = List.of(Attribute.ofFloat("alpha", m.alpha()),
                    Attribute.ofInt("transA", m.transA() ? 1 : 0), Attribute.ofInt("transB", m.transB() ? 1 : 0),
                    Attribute.ofInt("transBatchA", 0), Attribute.ofInt("transBatchB", 0));
            Value last = m.mul() != null ? m.mul().output(0) : m.root().output(0);
            Value out = r.addNode(ContribSchemas.DOMAIN, "FusedMatMul", List.of(m.a(), m.b()), attrs,
                    last.name() + "_fused");
            r.replace(last, out);
            if (m.mul() != null) {
                r.removeIfUnused(m.mul());
            }
            r.removeIfUnused(m.root());
            for (Node t : m.absorbed()) {
                r.removeIfUnused(t);
            }
            if (m.mulConstant() != null && !m.mulConstant().hasUses()) {
                Node p = producer(m.mulConstant(), "Constant");
                if (p != null) {
                    r.removeIfUnused(p);
                }
                r.removeConstantIfUnused(m.mulConstant());
            }
        }
    }
}
