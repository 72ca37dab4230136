package io.mconv.passes.fusion;

import static io.mconv.passes.fusion.FusionTesting.assertFuses;
import static io.mconv.passes.fusion.FusionTesting.assertRefuses;
import static io.mconv.passes.fusion.FusionTesting.ints;
import static io.mconv.passes.fusion.FusionTesting.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Attribute;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvFusionTest {

    static final long[] IN = {1, 3, 8, 8};
    static final long[] OUT = {1, 4, 8, 8};

    static Value conv(FusionTesting.G g, Value x, boolean bias) {
        Value w = g.weight("W", 4, 3, 3, 3);
        Attribute[] pads = {ints("pads", 1, 1, 1, 1)};
        return bias ? g.nodeWith("Conv", pads, x, w, g.weight("B", 4)) : g.nodeWith("Conv", pads, x, w);
    }

    static Value bn(FusionTesting.G g, Value t, int c) {
        return g.nodeWith("BatchNormalization", new Attribute[] {Attribute.ofFloat("epsilon", 1e-3f)}, t,
                g.weight("gamma", c), g.weight("beta", c), g.weight("mean", c), g.weightIn("var", 0.5f, 2f, c));
    }

    // ---- fuse-conv-bn ---------------------------------------------------------------------------------------

    @Test
    void convBnFoldsIntoOneConvWithNewWeights() {
        Model before = single(17, IN, OUT, (g, x) -> g.node("Relu", bn(g, conv(g, x, true), 4)));
        Model after = assertFuses(new FuseConvBn(), before, 1, Map.of("Conv", 1, "Relu", 1));
        assertEquals(2, after.graph().initializers().size(), "W and B replaced, BN parameters gone");
    }

    @Test
    void convWithoutBiasGainsOne() {
        Model before = single(17, IN, OUT, (g, x) -> bn(g, conv(g, x, false), 4));
        Model after = assertFuses(new FuseConvBn(), before, 1, Map.of("Conv", 1));
        assertEquals(3, after.graph().firstNode().inputCount());
    }

    @Test
    void groupedConvTransposeScalesEachOutputChannel() {
        // ConvTranspose W is [C_in=4, C_out/group=3, k, k] with group 2: 6 output channels.
        Model before = single(17, new long[] {1, 4, 5, 5}, new long[] {1, 6, 7, 7}, (g, x) -> bn(g,
                g.nodeWith("ConvTranspose", new Attribute[] {Attribute.ofInt("group", 2)}, x,
                        g.weight("W", 4, 3, 3, 3)), 6));
        assertFuses(new FuseConvBn(), before, 1, Map.of("ConvTranspose", 1));
    }

    @Test
    void weightsSharedWithAnotherConvStayUntouched() {
        Model before = FusionTesting.model(17);
        Value x = new Value("x", FusionTesting.floatType(IN));
        before.graph().addInput(x);
        FusionTesting.G g = new FusionTesting.G(before.graph(), "", 1);
        Value w = g.weight("W", 4, 3, 3, 3);
        Value fused = bn(g, g.nodeWith("Conv", new Attribute[] {ints("pads", 1, 1, 1, 1)}, x, w), 4);
        Value plain = g.nodeWith("Conv", new Attribute[] {ints("pads", 1, 1, 1, 1)}, x, w);
        Value y = g.node("Add", fused, plain);
        y.setType(FusionTesting.floatType(OUT));
        before.graph().addOutput(y);
        Tensor original = w.constValue();

        Model after = assertFuses(new FuseConvBn(), before, 1, Map.of("Conv", 2, "Add", 1));
        Value keptW = after.graph().initializers().get("W");
        assertTrue(keptW.constValue().contentEquals(original), "the shared weight keeps its values");
        Node first = after.graph().nodes().get(0);
        Node second = after.graph().nodes().get(1);
        assertNotSame(first.input(1), second.input(1), "the fused conv reads a new initializer");
        assertSame(keptW, second.input(1));
    }

    @Test
    void refusesFanOutGraphOutputAndNonConstantParameters() {
        FuseConvBn pass = new FuseConvBn();
        assertRefuses(pass, single(17, IN, OUT, (g, x) -> {
            Value t = conv(g, x, true);
            return g.node("Add", bn(g, t, 4), g.node("Relu", t));
        }), "fan-out");
        Model graphOutput = single(17, IN, OUT, (g, x) -> bn(g, conv(g, x, true), 4));
        Value convOut = graphOutput.graph().firstNode().output(0);
        convOut.setType(FusionTesting.floatType(OUT));
        graphOutput.graph().addOutput(convOut);
        assertRefuses(pass, graphOutput, "graph output");
        Model meanInput = single(17, IN, OUT, (g, x) -> {
            Value mean = new Value("mean_in", FusionTesting.floatType(4));
            g.graph.addInput(mean);
            return g.node("BatchNormalization", conv(g, x, true), g.weight("gamma", 4), g.weight("beta", 4), mean,
                    g.weightIn("var", 0.5f, 2f, 4));
        });
        assertRefuses(pass, meanInput, "is not constant");
        Model weightInput = single(17, IN, OUT, (g, x) -> {
            Value w = new Value("w_in", FusionTesting.floatType(4, 3, 3, 3));
            g.graph.addInput(w);
            return bn(g, g.nodeWith("Conv", new Attribute[] {ints("pads", 1, 1, 1, 1)}, x, w), 4);
        });
        assertRefuses(pass, weightInput, "are not constant");
    }

    @Test
    void refusesTrainingModeBatchNorm() {
        assertRefuses(new FuseConvBn(), single(17, IN, OUT, (g, x) -> g.nodeWith("BatchNormalization",
                new Attribute[] {Attribute.ofInt("training_mode", 1)}, conv(g, x, true), g.weight("gamma", 4),
                g.weight("beta", 4), g.weight("mean", 4), g.weightIn("var", 0.5f, 2f, 4))), "training mode");
    }

    @Test
    void foldsInsideIfBranches() {
        Model before = FusionTesting.inIf(17, IN, OUT, (g, x) -> g.node("Relu", bn(g, conv(g, x, true), 4)));
        Model after = assertFuses(new FuseConvBn(), before, 2, Map.of("If", 1, "Conv", 2, "Relu", 2));
        assertEquals(0, PassManager.histogram(after).getOrDefault("BatchNormalization", 0));
    }

    // ---- fuse-conv-mul / fuse-conv-add -----------------------------------------------------------------------

    @Test
    void perChannelMulScalesWeightsAndBias() {
        for (long[] dims : new long[][] {{4, 1, 1}, {1, 4, 1, 1}, {}, {1}}) {
            Model before = single(17, IN, OUT, (g, x) -> g.node("Mul", g.weight("s", dims), conv(g, x, true)));
            assertFuses(new FuseConvMul(), before, 1, Map.of("Conv", 1));
        }
    }

    @Test
    void perChannelAddBecomesTheBias() {
        for (long[] dims : new long[][] {{4, 1, 1}, {1, 4, 1, 1}, {}}) {
            Model before = single(17, IN, OUT, (g, x) -> g.node("Add", conv(g, x, false), g.weight("c", dims)));
            assertFuses(new FuseConvAdd(), before, 1, Map.of("Conv", 1));
        }
    }

    @Test
    void mulAndAddRefuseOtherShapesNonConstantsFanOutAndGraphOutputs() {
        // [4] broadcasts along the last (width) axis, [1,4,8,8] per element: neither is per channel.
        assertRefuses(new FuseConvMul(), single(17, IN, OUT, (g, x) -> g.node("Mul", conv(g, x, true),
                g.weight("s", 4))), "not per-output-channel");
        assertRefuses(new FuseConvAdd(), single(17, IN, OUT, (g, x) -> g.node("Add", conv(g, x, true),
                g.weight("s", 1, 4, 8, 8))), "not per-output-channel");
        assertRefuses(new FuseConvAdd(), single(17, IN, new long[] {2, 4, 8, 8}, (g, x) -> g.node("Add",
                conv(g, x, true), g.weight("s", 2, 4, 1, 1))), "not per-output-channel");
        // SiLU: the conv output is shared, and the other operand is no constant, which is what stops the fold
        assertRefuses(new FuseConvMul(), single(17, IN, OUT, (g, x) -> {
            Value t = conv(g, x, true);
            return g.node("Mul", t, g.node("Sigmoid", t));
        }), "the other operand is not constant");
        assertRefuses(new FuseConvMul(), single(17, IN, OUT, (g, x) -> {
            Value t = conv(g, x, true);
            return g.node("Add", g.node("Mul", t, g.weight("s", 4, 1, 1)), g.node("Relu", t));
        }), "fan-out");
        assertRefuses(new FuseConvAdd(), single(17, IN, OUT, (g, x) -> {
            Value s = new Value("s_in", FusionTesting.floatType(4, 1, 1));
            g.graph.addInput(s);
            return g.node("Add", conv(g, x, true), s);
        }), "not constant");
    }

    @Test
    void mulAndAddFoldInsideIfBranches() {
        Model before = FusionTesting.inIf(17, IN, OUT, (g, x) -> g.node("Add",
                g.node("Mul", conv(g, x, true), g.weight("s", 4, 1, 1)), g.weight("t", 4, 1, 1)));
        Model mid = assertFuses(new FuseConvMul(), before, 2, Map.of("If", 1, "Conv", 2, "Add", 2));
        assertFuses(new FuseConvAdd(), mid, 2, Map.of("If", 1, "Conv", 2));
    }

    @Test
    void convMulAddChainCollapsesUnderThePassManager() {
        // A decomposed norm after a conv: (conv · s + t) — both fold in one optimization.
        Model before = single(17, IN, OUT, (g, x) -> g.node("Add",
                g.node("Mul", conv(g, x, false), g.weight("s", 1, 4, 1, 1)), g.weight("t", 1, 4, 1, 1)));
        Model after = ModelCopier.copy(before);
        PassReport r = new PassManager(FusionPasses.all()).run(after, FusionTesting.CTX);
        assertEquals(2, r.totalRewrites());
        assertEquals(Map.of("Conv", 1), PassManager.histogram(after));
        assertTrue(GraphVerifier.check(after).isEmpty());
        OrtEquivalence.assertSameOutputs(before, after);
    }

    @Test
    void refusesConstantsOfAnotherDtype() {
        assertRefuses(new FuseConvMul(), single(17, IN, OUT, (g, x) -> g.node("Mul", conv(g, x, true),
                g.constant(Tensor.ofDoubles("d", new long[] {4, 1, 1}, 1, 2, 3, 4)))), "the constant is float64 but the weights are float32");
    }
}
