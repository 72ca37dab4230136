package io.mconv.passes.fusion;

import static io.mconv.passes.fusion.FusionTesting.assertFuses;
import static io.mconv.passes.fusion.FusionTesting.assertRefuses;
import static io.mconv.passes.fusion.FusionTesting.single;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mconv.ir.Attribute;
import io.mconv.ir.Model;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.passes.PassManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fuse-hard-swish, fuse-hard-sigmoid and fuse-mish. */
class ActivationFusionTest {

    static final long[] X = {2, 3, 4, 4};

    /** relu6(x + 3) with Clip bounds as inputs (opset 11+). */
    static Value relu6PlusThree(FusionTesting.G g, Value x) {
        return g.node("Clip", g.node("Add", x, g.constantNode(3f)), g.constantNode(0f), g.constantNode(6f));
    }

    // ---- fuse-hard-swish -------------------------------------------------------------------------------------

    @Test
    void hardSwishFromBothTorchOrders() {
        // x * (relu6(x + 3) / 6)
        assertFuses(new FuseHardSwish(), single(14, X, X, (g, x) -> g.node("Mul", x,
                g.node("Div", relu6PlusThree(g, x), g.constantNode(6f)))), 1, Map.of("HardSwish", 1));
        // x * relu6(x + 3) / 6, and the 1/6 spelling
        assertFuses(new FuseHardSwish(), single(14, X, X, (g, x) -> g.node("Mul",
                g.node("Mul", relu6PlusThree(g, x), x), g.scalar(1f / 6))), 1, Map.of("HardSwish", 1));
    }

    @Test
    void hardSwishFromXTimesHardSigmoid() {
        assertFuses(new FuseHardSwish(), single(14, X, X, (g, x) -> g.node("Mul", x, g.nodeWith("HardSigmoid",
                new Attribute[] {Attribute.ofFloat("alpha", 1f / 6), Attribute.ofFloat("beta", 0.5f)}, x))), 1,
                Map.of("HardSwish", 1));
        assertRefuses(new FuseHardSwish(), single(14, X, X, (g, x) -> g.node("Mul", x, g.node("HardSigmoid", x))),
                "is not 1/6, 0.5");
    }

    @Test
    void hardSwishRefusesOpset13FanOutAndOtherBounds() {
        assertRefuses(new FuseHardSwish(), single(13, X, X, (g, x) -> g.node("Mul", x,
                g.node("Div", relu6PlusThree(g, x), g.constantNode(6f)))), "HardSwish does not exist at opset 13");
        assertRefuses(new FuseHardSwish(), single(14, X, X, (g, x) -> {
            Value c = relu6PlusThree(g, x);
            return g.node("Add", g.node("Mul", x, g.node("Div", c, g.constantNode(6f))), c);
        }), "the clipped value has other consumers");
        assertRefuses(new FuseHardSwish(), single(14, X, X, (g, x) -> g.node("Mul", x, g.node("Div",
                g.node("Clip", g.node("Add", x, g.scalar(3f)), g.scalar(0f), g.scalar(5f)), g.scalar(6f)))),
                "not [0, 6]");
    }

    @Test
    void hardSwishInsideIfBranches() {
        assertFuses(new FuseHardSwish(), FusionTesting.inIf(14, X, X, (g, x) -> g.node("Mul", x,
                g.node("Div", relu6PlusThree(g, x), g.constantNode(6f)))), 2, Map.of("If", 1, "HardSwish", 2));
    }

    // ---- fuse-hard-sigmoid -----------------------------------------------------------------------------------

    @Test
    void hardSigmoidFromClipInputsAndFromOldClipAttributes() {
        assertFuses(new FuseHardSigmoid(), single(11, X, X, (g, x) -> g.node("Div", relu6PlusThree(g, x),
                g.constantNode(6f))), 1, Map.of("HardSigmoid", 1));
        // opset 10: Clip bounds are attributes
        assertFuses(new FuseHardSigmoid(), single(10, X, X, (g, x) -> g.node("Mul", g.nodeWith("Clip",
                new Attribute[] {Attribute.ofFloat("min", 0f), Attribute.ofFloat("max", 6f)},
                g.node("Add", g.scalar(3f), x)), g.scalar(1f / 6))), 1, Map.of("HardSigmoid", 1));
    }

    @Test
    void hardSigmoidRefusesGraphOutputsAndNonConstantBounds() {
        Model out = single(11, X, X, (g, x) -> g.node("Div", relu6PlusThree(g, x), g.constantNode(6f)));
        Value clip = out.graph().nodes().stream().filter(n -> n.opType().equals("Clip")).findFirst().get().output(0);
        clip.setType(FusionTesting.floatType(X));
        out.graph().addOutput(clip);
        assertRefuses(new FuseHardSigmoid(), out, "not read only by Div");
        assertRefuses(new FuseHardSigmoid(), single(11, X, X, (g, x) -> {
            Value hi = new Value("hi", FusionTesting.floatType());
            g.graph.addInput(hi);
            return g.node("Div", g.node("Clip", g.node("Add", x, g.scalar(3f)), g.scalar(0f), hi), g.scalar(6f));
        }), "Clip bounds are not both constant");
    }

    @Test
    void hardSigmoidInsideIfBranches() {
        assertFuses(new FuseHardSigmoid(), FusionTesting.inIf(11, X, X, (g, x) -> g.node("Div",
                relu6PlusThree(g, x), g.constantNode(6f))), 2, Map.of("If", 1, "HardSigmoid", 2));
    }

    @Test
    void hardSwishWinsOverHardSigmoidInTheRegistryOrder() {
        Model before = single(14, X, X, (g, x) -> g.node("Mul", x, g.node("Div", relu6PlusThree(g, x),
                g.constantNode(6f))));
        Model after = ModelCopier.copy(before);
        new PassManager(List.of(new FuseHardSwish(), new FuseHardSigmoid())).run(after, FusionTesting.CTX);
        assertEquals(1, PassManager.histogram(after).get("HardSwish"));
        assertEquals(0, PassManager.histogram(after).getOrDefault("HardSigmoid", 0));
    }

    // ---- fuse-mish -------------------------------------------------------------------------------------------

    @Test
    void mishAtOpset18AndNotBefore() {
        FusionTesting.Pattern mish = (g, x) -> g.node("Mul", g.node("Tanh", g.node("Softplus", x)), x);
        assertFuses(new FuseMish(), single(18, X, X, mish), 1, Map.of("Mish", 1));
        assertRefuses(new FuseMish(), single(17, X, X, mish), "Mish does not exist at opset 17");
        assertFuses(new FuseMish(), FusionTesting.inIf(18, X, X, mish), 2, Map.of("If", 1, "Mish", 2));
    }

    @Test
    void mishRefusesFanOutAndAnotherFactor() {
        assertRefuses(new FuseMish(), single(18, X, X, (g, x) -> {
            Value t = g.node("Tanh", g.node("Softplus", x));
            return g.node("Add", g.node("Mul", t, x), t);
        }), "not read only by Mul(x, ·)");
        assertRefuses(new FuseMish(), single(18, X, X, (g, x) -> g.node("Mul", g.node("Tanh",
                g.node("Softplus", x)), g.node("Relu", x))), "not read only by Mul(x, ·)");
    }
}
