package io.mconv.passes.fusion;

import static io.mconv.passes.fusion.FusionTesting.assertFuses;
import static io.mconv.passes.fusion.FusionTesting.assertRefuses;
import static io.mconv.passes.fusion.FusionTesting.single;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Model;
import io.mconv.ir.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeluFusionTest {

    static final long[] X = {2, 16};

    /** torch's order: Div(x, √2) → Erf → Add 1 → Mul(x, ·) → Mul(·, 0.5). */
    static Value erfGelu(FusionTesting.G g, Value x) {
        Value e = g.node("Add", g.node("Erf", g.node("Div", x, g.constantNode(1.4142135381698608f))),
                g.constantNode(1f));
        return g.node("Mul", g.node("Mul", x, e), g.constantNode(0.5f));
    }

    /** torch's tanh approximation: 0.5·(x·(1 + tanh(√(2/π)·(x + 0.044715·x·(x·x))))). */
    static Value tanhGelu(FusionTesting.G g, Value x, boolean pow) {
        Value cube = pow ? g.node("Pow", x, g.constantNode(3f)) : g.node("Mul", x, g.node("Mul", x, x));
        Value inner = g.node("Mul", g.constantNode(0.7978845608f),
                g.node("Add", x, g.node("Mul", g.constantNode(0.044715f), cube)));
        Value e = g.node("Add", g.constantNode(1f), g.node("Tanh", inner));
        return g.node("Mul", g.constantNode(0.5f), g.node("Mul", x, e));
    }

    @Test
    void exactFormInTorchsOrderBecomesGelu() {
        Model after = assertFuses(new FuseGelu(), single(20, X, X, GeluFusionTest::erfGelu), 1, Map.of("Gelu", 1));
        assertEquals("none", after.graph().firstNode().attr(AttrKey.ofString("approximate")));
    }

    @Test
    void exactFormInTheOtherMultiplicationOrders() {
        // Mul(x, 1/√2); (1 + erf)·0.5 then ·x
        assertFuses(new FuseGelu(), single(20, X, X, (g, x) -> {
            Value e = g.node("Add", g.constantNode(1f), g.node("Erf", g.node("Mul", g.scalar(0.70710678f), x)));
            return g.node("Mul", g.node("Mul", e, g.scalar(0.5f)), x);
        }), 1, Map.of("Gelu", 1));
        // (x·0.5)·(1 + erf)
        assertFuses(new FuseGelu(), single(20, X, X, (g, x) -> {
            Value e = g.node("Add", g.node("Erf", g.node("Div", x, g.scalar(1.41421356f))), g.scalar(1f));
            return g.node("Mul", g.node("Mul", x, g.scalar(0.5f)), e);
        }), 1, Map.of("Gelu", 1));
    }

    @Test
    void tanhFormBecomesApproximateGelu() {
        for (boolean pow : new boolean[] {false, true}) {
            Model after = assertFuses(new FuseGelu(), single(20, X, X, (g, x) -> tanhGelu(g, x, pow)), 1,
                    Map.of("Gelu", 1));
            assertEquals("tanh", after.graph().firstNode().attr(AttrKey.ofString("approximate")));
        }
    }

    @Test
    void opset17HasNoGelu() {
        assertRefuses(new FuseGelu(), single(17, X, X, GeluFusionTest::erfGelu), "Gelu does not exist at opset 17");
        assertRefuses(new FuseGelu(), single(17, X, X, (g, x) -> tanhGelu(g, x, false)),
                "Gelu does not exist at opset 17");
    }

    @Test
    void refusesWrongConstantsFanOutAndGraphOutputs() {
        assertRefuses(new FuseGelu(), single(20, X, X, (g, x) -> {
            Value e = g.node("Add", g.node("Erf", g.node("Div", x, g.scalar(1.4142f))), g.scalar(1f));
            return g.node("Mul", g.node("Mul", x, e), g.scalar(0.5f));
        }), "is not Div(x, √2)");
        assertRefuses(new FuseGelu(), single(20, X, X, (g, x) -> {
            Value e = g.node("Add", g.node("Erf", g.node("Div", x, g.scalar(1.41421356f))), g.scalar(1f));
            return g.node("Mul", g.node("Mul", x, e), g.scalar(0.25f));
        }), "the final Mul is not by 0.5");
        assertRefuses(new FuseGelu(), single(20, X, X, (g, x) -> {
            Value erf = g.node("Erf", g.node("Div", x, g.scalar(1.41421356f)));
            Value y = g.node("Mul", g.node("Mul", x, g.node("Add", erf, g.scalar(1f))), g.scalar(0.5f));
            return g.node("Add", y, erf);
        }), "the Erf is not read only by Add(·, 1)");
        Model out = single(20, X, X, GeluFusionTest::erfGelu);
        Value scaled = out.graph().nodes().get(1).output(0); // x / √2
        scaled.setType(FusionTesting.floatType(X));
        out.graph().addOutput(scaled);
        assertRefuses(new FuseGelu(), out, "graph output");
    }

    @Test
    void fusesInsideIfBranches() {
        assertFuses(new FuseGelu(), FusionTesting.inIf(20, X, X, GeluFusionTest::erfGelu), 2,
                Map.of("If", 1, "Gelu", 2));
    }
}
