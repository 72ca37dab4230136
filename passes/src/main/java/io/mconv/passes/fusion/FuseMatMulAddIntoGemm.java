package io.mconv.passes.fusion;

import io.mconv.ir.Attribute;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import io.mconv.schema.OpSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * fuse-matmul-add-into-gemm: a 2-D MatMul with constant weights followed by the addition of a constant bias becomes
 * one Gemm.
 *
 * <pre>
 * Before:  A[M,K] ─► MatMul(A, B[K,N]) ─► t[M,N] ─► Add(t, c)   c: [N], [1,N], [M,N], [M,1], [1], scalar ─► y
 * After:   A ─► Gemm(A, B, c)  (alpha = beta = 1, no transposes) ─► y
 * </pre>
 *
 * Correct because Gemm computes {@code alpha·A·B + beta·C} with C broadcast unidirectionally to [M,N]; with
 * alpha = beta = 1 that is the MatMul followed by the Add, as long as the Add's result is exactly [M,N] (the bias
 * never enlarges it). Gemm is 2-D only, so A's rank must be known to be 2: the pass runs shape inference first and
 * refuses A of unknown or other rank (a [batch, seq, K] activation stays a MatMul). Refuses: a non-constant or
 * non-2-D B; a non-constant bias or one that does not broadcast to [M,N] without growing it (a first dimension
 * other than 1 needs a known, equal M); an intermediate read elsewhere or that is a graph output; opsets whose Gemm
 * lacks unidirectional broadcasting of C (asked of the schema registry: the Gemm schema in force must have no
 * {@code broadcast} attribute, which Gemm had before version 7); dtypes Gemm does not accept at the opset.
 * Subgraphs are rewritten like the main graph.
 */
public final class FuseMatMulAddIntoGemm extends FusionPass {

    public FuseMatMulAddIntoGemm() {
        super("fuse-matmul-add-into-gemm", "turn a 2-D MatMul with constant weights plus a constant bias into Gemm",
                OptimizationLevel.BASIC, true, List.of(new Rule()));
    }

    record Match(Node matmul, Node add, Value bias) {
    }

    static final class Rule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "matmul-add-gemm";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Add");
        }

        @Override
        public Check<Match> check(Node add, RuleContext ctx) {
            if (add.inputCount() != 2) {
                return Check.fail("Add has " + add.inputCount() + " inputs");
            }
            Optional<OpSchema> gemm = FusionSupport.schema(ctx, "Gemm");
            if (gemm.isEmpty()) {
                return Check.fail("Gemm does not exist at opset " + ctx.defaultOpset());
            }
            if (gemm.get().attribute("broadcast").isPresent()) {
                return Check.fail("Gemm-" + gemm.get().sinceVersion() + " at opset " + ctx.defaultOpset()
                        + " does not broadcast C unidirectionally");
            }
            int side = -1;
            for (int s = 0; s < 2; s++) {
                if (FusionSupport.producer(ctx, add.input(s), "MatMul") != null) {
                    side = s;
                    break;
                }
            }
            if (side < 0) {
                return Check.noMatch("neither input is produced by a MatMul of this graph");
            }
            Value t = add.input(side);
            Value biasValue = add.input(1 - side);
            Node mm = t.producer();
            String np = FusionSupport.notPrivate(ctx, t, add);
            if (np != null) {
                return Check.fail("MatMul output " + np);
            }
            Value a = mm.input(0);
            Shape as = a.shape();
            if (as == null || as.rank() != 2) {
                // no value names in the reason: the same reason for every layer of a model is reported once
                return Check.fail("its MatMul's input A has " + (as == null ? "unknown rank" : "rank " + as.rank())
                        + "; Gemm is 2-D only");
            }
            Tensor b = FusionSupport.constant(mm.input(1));
            if (b == null || b.rank() != 2) {
                return Check.fail("MatMul input B is " + (b == null ? "not constant" : "of rank " + b.rank()));
            }
            if (!FusionSupport.acceptsType(ctx, "Gemm", "T", b.dataType())) {
                return Check.fail("Gemm at opset " + ctx.defaultOpset() + " does not accept " + b.dataType());
            }
            Tensor c = FusionSupport.constant(biasValue);
            if (c == null) {
                return Check.fail("bias '" + biasValue.name() + "' is not constant");
            }
            if (c.dataType() != b.dataType()) {
                return Check.fail("bias is " + c.dataType() + " but B is " + b.dataType());
            }
            long n = b.dims()[1];
            long[] cd = c.dims();
            Dim m = as.dim(0);
            boolean ok = cd.length <= 2
                    && (cd.length < 1 || cd[cd.length - 1] == 1 || cd[cd.length - 1] == n)
                    && (cd.length < 2 || cd[0] == 1 || (m.isKnown() && m.value() == cd[0]));
            if (!ok) {
                return Check.fail("bias shape " + Arrays.toString(cd) + " does not broadcast to [" + m + ", " + n
                        + "] without growing it");
            }
            return Check.ok(new Match(mm, add, biasValue));
        }

        @Override
        public void rewrite(Match m, Rewriter rw) {
            List<Value> inputs = new ArrayList<>(List.of(m.matmul().input(0), m.matmul().input(1), m.bias()));
            Value out = rw.addNode("", "Gemm", inputs, List.<Attribute>of(), m.add().output(0).name() + "_gemm");
            rw.replace(m.add().output(0), out);
            rw.removeIfUnused(m.add(), m.matmul());
        }
    }
}
