package io.mconv.passes.fusion;

import static io.mconv.passes.fusion.FusionTesting.assertFuses;
import static io.mconv.passes.fusion.FusionTesting.assertRefuses;
import static io.mconv.passes.fusion.FusionTesting.ints;
import static io.mconv.passes.fusion.FusionTesting.single;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GemmFusionTest {

    static final long[] A = {3, 5};
    static final long[] Y = {3, 4};

    // ---- fuse-matmul-add-into-gemm ---------------------------------------------------------------------------

    @Test
    void matMulPlusBiasBecomesGemmForEachBiasShape() {
        for (long[] bias : new long[][] {{4}, {1, 4}, {3, 4}, {3, 1}, {}}) {
            Model before = single(17, A, Y, (g, x) -> g.node("Add", g.node("MatMul", x, g.weight("B", 5, 4)),
                    g.weight("c", bias)));
            assertFuses(new FuseMatMulAddIntoGemm(), before, 1, Map.of("Gemm", 1));
        }
        Model biasFirst = single(17, A, Y, (g, x) -> g.node("Add", g.weight("c", 4),
                g.node("MatMul", x, g.weight("B", 5, 4))));
        assertFuses(new FuseMatMulAddIntoGemm(), biasFirst, 1, Map.of("Gemm", 1));
    }

    @Test
    void refusesRank3FanOutGraphOutputNonConstantAndGrowingBias() {
        FuseMatMulAddIntoGemm pass = new FuseMatMulAddIntoGemm();
        assertRefuses(pass, single(17, new long[] {2, 3, 5}, new long[] {2, 3, 4}, (g, x) -> g.node("Add",
                g.node("MatMul", x, g.weight("B", 5, 4)), g.weight("c", 4))), "rank 3; Gemm is 2-D only");
        assertRefuses(pass, single(17, A, Y, (g, x) -> {
            Value t = g.node("MatMul", x, g.weight("B", 5, 4));
            return g.node("Mul", g.node("Add", t, g.weight("c", 4)), t);
        }), "fan-out");
        Model out = single(17, A, Y, (g, x) -> g.node("Add", g.node("MatMul", x, g.weight("B", 5, 4)),
                g.weight("c", 4)));
        Value mm = out.graph().firstNode().output(0);
        mm.setType(FusionTesting.floatType(Y));
        out.graph().addOutput(mm);
        assertRefuses(pass, out, "graph output");
        assertRefuses(pass, single(17, A, Y, (g, x) -> {
            Value b = new Value("b_in", FusionTesting.floatType(5, 4));
            g.graph.addInput(b);
            return g.node("Add", g.node("MatMul", x, b), g.weight("c", 4));
        }), "B is not constant");
        assertRefuses(pass, single(17, A, Y, (g, x) -> {
            Value c = new Value("c_in", FusionTesting.floatType(4));
            g.graph.addInput(c);
            return g.node("Add", g.node("MatMul", x, g.weight("B", 5, 4)), c);
        }), "bias 'c_in' is not constant");
        assertRefuses(pass, single(17, new long[] {1, 5}, Y, (g, x) -> g.node("Add",
                g.node("MatMul", x, g.weight("B", 5, 4)), g.weight("c", 3, 4))), "without growing it");
    }

    @Test
    void refusesAnOpsetWhoseGemmDoesNotBroadcastC() {
        // Gemm-6 has the 'broadcast' attribute: C is not broadcast unidirectionally by default.
        Model m = single(6, A, Y, (g, x) -> g.node("Add", g.node("MatMul", x, g.weight("B", 5, 4)),
                g.weight("c", 4)));
        assertRefuses(new FuseMatMulAddIntoGemm(), m, "does not broadcast C unidirectionally");
    }

    @Test
    void fusesInsideIfBranches() {
        Model before = FusionTesting.inIf(17, A, Y, (g, x) -> g.node("Add",
                g.node("MatMul", x, g.weight("B", 5, 4)), g.weight("c", 4)));
        assertFuses(new FuseMatMulAddIntoGemm(), before, 2, Map.of("If", 1, "Gemm", 2));
    }

    // ---- fuse-transpose-into-gemm ----------------------------------------------------------------------------

    @Test
    void transposesOfBothInputsBecomeFlags() {
        Model before = single(17, new long[] {5, 3}, Y, (g, x) -> g.nodeWith("Gemm",
                new Attribute[] {Attribute.ofInt("transB", 1)}, g.nodeWith("Transpose",
                        new Attribute[] {ints("perm", 1, 0)}, x), g.node("Transpose", g.weight("B", 5, 4)),
                g.weight("c", 4)));
        Model after = assertFuses(new FuseTransposeIntoGemm(), before, 1, Map.of("Gemm", 1));
        Node gemm = after.graph().firstNode();
        assertEquals(1L, gemm.attr(AttrKey.ofInt("transA")));
        assertEquals(0L, gemm.attr(AttrKey.ofInt("transB")), "a set flag cancels against the Transpose");
    }

    @Test
    void transposeRefusesFanOutAndGraphOutputAndWorksInBranches() {
        FuseTransposeIntoGemm pass = new FuseTransposeIntoGemm();
        assertRefuses(pass, single(17, new long[] {5, 3}, new long[] {3, 3}, (g, x) -> {
            Value t = g.node("Transpose", x);
            return g.node("Add", g.node("Gemm", t, g.weight("B", 5, 3)), t);
        }), "fan-out");
        Model out = single(17, new long[] {5, 3}, Y, (g, x) -> g.node("Gemm", g.node("Transpose", x),
                g.weight("B", 5, 4)));
        Value t = out.graph().firstNode().output(0);
        t.setType(FusionTesting.floatType(3, 5));
        out.graph().addOutput(t);
        assertRefuses(pass, out, "graph output");
        assertFuses(pass, FusionTesting.inIf(17, new long[] {5, 3}, Y, (g, x) -> g.node("Gemm",
                g.node("Transpose", x), g.weight("B", 5, 4))), 2, Map.of("If", 1, "Gemm", 2));
    }
}
