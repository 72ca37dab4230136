package io.mconv.passes.fusion;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * fuse-transpose-into-gemm: a 2-D Transpose feeding input A or B of a Gemm becomes the Gemm's transA / transB flag.
 *
 * <pre>
 * Before:  a ─► Transpose(perm=[1,0]) ─► aᵀ ─► Gemm(aᵀ, b, c; transA=0) ─► y
 * After:   a ─► Gemm(a, b, c; transA=1) ─► y
 * </pre>
 *
 * Correct because Gemm's {@code transA} (transB) means "use the transpose of A (B)": flipping the flag and reading
 * the Transpose's input computes the same product; a flag already set cancels against the Transpose. Gemm inputs
 * are 2-D, so a Transpose without {@code perm} (reverse) is [1,0] too. Both inputs are handled in one rewrite.
 * Refuses: any other perm, a transposed value read elsewhere (the Transpose would stay, so nothing is saved) or that
 * is a graph output. Subgraphs are rewritten like the main graph; the Transpose must be in the Gemm's graph.
 */
public final class FuseTransposeIntoGemm extends FusionPass {

    public FuseTransposeIntoGemm() {
        super("fuse-transpose-into-gemm", "fold a 2-D Transpose of a Gemm input into transA/transB",
                OptimizationLevel.BASIC, false, List.of(new Rule()));
    }

    /** @param transposes for input 0 and 1: the Transpose to absorb, or null */
    record Match(Node gemm, Node[] transposes) {
    }

    static final class Rule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "transpose-gemm";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Gemm");
        }

        @Override
        public Check<Match> check(Node gemm, RuleContext ctx) {
            Node[] found = new Node[2];
            String reason = null;
            for (int i = 0; i < 2; i++) {
                Value in = gemm.input(i);
                Node tr = FusionSupport.producer(ctx, in, "Transpose");
                if (tr == null) {
                    continue;
                }
                long[] perm = tr.attrIfPresent(AttrKey.ofInts("perm")).orElse(new long[] {1, 0});
                if (!Arrays.equals(perm, new long[] {1, 0})) {
                    reason = "Transpose perm " + Arrays.toString(perm) + " is not [1, 0]";
                    continue;
                }
                String np = FusionSupport.notPrivate(ctx, in, gemm);
                if (np != null) {
                    reason = "transposed input " + np;
                    continue;
                }
                found[i] = tr;
            }
            if (found[0] == null && found[1] == null) {
                return reason == null ? Check.noMatch("no input is produced by a Transpose of this graph")
                        : Check.fail(reason);
            }
            return Check.ok(new Match(gemm, found));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            List<Node> dead = new ArrayList<>();
            String[] flags = {"transA", "transB"};
            for (int i = 0; i < 2; i++) {
                Node tr = m.transposes()[i];
                if (tr == null) {
                    continue;
                }
                long flag = m.gemm().attr(AttrKey.ofInt(flags[i]));
                rw.setAttribute(m.gemm(), Attribute.ofInt(flags[i], flag == 0 ? 1 : 0));
                rw.setInput(m.gemm(), i, tr.input(0));
                dead.add(tr);
            }
            rw.removeIfUnused(dead.toArray(new Node[0]));
        }
    }
}
