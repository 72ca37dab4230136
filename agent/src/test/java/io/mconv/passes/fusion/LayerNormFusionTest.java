package io.mconv.passes.fusion;

import static io.mconv.passes.fusion.FusionTesting.assertFuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.mconv.passes.fusion.FusionTesting.assertRefuses;
import static io.mconv.passes.fusion.FusionTesting.ints;
import static io.mconv.passes.fusion.FusionTesting.single;

import io.mconv.ir.Attribute;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.PassManager;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchemaRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerNormFusionTest {

    static final long[] X = {2, 4, 8};

    /** torch's export of a hand-written LayerNorm; {@code opset >= 18} passes axes as an input. */
    static Value layerNorm(FusionTesting.G g, Value x, int opset, boolean pow, boolean affine, long axis) {
        Value mean = reduceMean(g, x, opset, axis);
        Value d = g.node("Sub", x, mean);
        Value sq = pow ? g.node("Pow", d, g.constantNode(2f)) : g.node("Mul", d, d);
        Value var = reduceMean(g, sq, opset, axis);
        Value std = g.node("Sqrt", g.node("Add", var, g.constantNode(1e-5f)));
        Value n = g.node("Div", d, std);
        return affine ? g.node("Add", g.node("Mul", g.weight("gamma", 8), n), g.weight("beta", 8)) : n;
    }

    static Value reduceMean(FusionTesting.G g, Value x, int opset, long axis) {
        if (opset >= 18) {
            return g.node("ReduceMean", x, g.constant(Tensor.ofLongs("axes", new long[] {1}, axis)));
        }
        return g.nodeWith("ReduceMean", new Attribute[] {ints("axes", axis)}, x);
    }

    @Test
    void fusesTorchsDecompositionWithScaleAndBias() {
        Model before = single(17, X, X, (g, x) -> g.node("Relu", layerNorm(g, x, 17, true, true, -1)));
        assertFuses(new FuseLayerNorm(), before, 1, Map.of("LayerNormalization", 1, "Relu", 1));
    }

    @Test
    void fusesTheMulSquareFormWithoutAffineAndThePositiveLastAxis() {
        Model before = single(17, X, X, (g, x) -> layerNorm(g, x, 17, false, false, 2));
        assertFuses(new FuseLayerNorm(), before, 1, Map.of("LayerNormalization", 1));
    }

    @Test
    void readsAxesFromTheInputFromOpset18() {
        Model before = single(18, X, X, (g, x) -> layerNorm(g, x, 18, true, true, -1));
        assertFuses(new FuseLayerNorm(), before, 1, Map.of("LayerNormalization", 1));
    }

    @Test
    void fusesTheFormTheOpsetConverterWritesBelow17OnceRaisedBack() {
        Model model = single(17, X, X, (g, x) -> g.nodeWith("LayerNormalization", new Attribute[] {
                Attribute.ofInt("axis", -1), Attribute.ofFloat("epsilon", 1e-5f)}, x, g.weight("gamma", 8),
                g.weight("beta", 8)));
        OpsetConverter converter = new OpsetConverter(OpSchemaRegistry.standard());
        converter.convert(model, 13);
        assertEquals(0, PassManager.histogram(model).getOrDefault("LayerNormalization", 0));
        converter.convert(model, 17);
        assertFuses(new FuseLayerNorm(), model, 1, Map.of("LayerNormalization", 1));
    }

    @Test
    void refusesOpset16WhichHasNoLayerNormalization() {
        assertRefuses(new FuseLayerNorm(), single(16, X, X, (g, x) -> layerNorm(g, x, 16, true, true, -1)),
                "LayerNormalization does not exist at opset 16");
    }

    @Test
    void refusesOtherAxesFanOutGraphOutputsAndNonConstantEpsilon() {
        FuseLayerNorm pass = new FuseLayerNorm();
        assertRefuses(pass, single(17, X, X, (g, x) -> layerNorm(g, x, 17, true, true, 1)),
                "are not the last axis only");
        assertRefuses(pass, single(17, X, X, (g, x) -> {
            Value y = layerNorm(g, x, 17, true, true, -1);
            Value d = g.graph.nodes().get(1).output(0); // Sub
            return g.node("Add", y, d);
        }), "fan-out");
        Model meanOut = single(17, X, X, (g, x) -> layerNorm(g, x, 17, true, true, -1));
        Value mean = meanOut.graph().firstNode().output(0);
        mean.setType(FusionTesting.floatType(2, 4, 1));
        meanOut.graph().addOutput(mean);
        assertRefuses(pass, meanOut, "the mean is not read only by Sub");
        assertRefuses(pass, single(17, X, X, (g, x) -> {
            Value eps = new Value("eps_in", FusionTesting.floatType());
            g.graph.addInput(eps);
            Value m = g.nodeWith("ReduceMean", new Attribute[] {ints("axes", -1)}, x);
            Value d = g.node("Sub", x, m);
            Value var = g.nodeWith("ReduceMean", new Attribute[] {ints("axes", -1)}, g.node("Mul", d, d));
            return g.node("Div", d, g.node("Sqrt", g.node("Add", var, eps)));
        }), "epsilon is not a constant");
    }

    @Test
    void aNonConstantScaleStaysAMulAfterTheFusedNorm() {
        Model before = single(17, X, X, (g, x) -> {
            Value gamma = new Value("gamma_in", FusionTesting.floatType(8));
            g.graph.addInput(gamma);
            return g.node("Mul", layerNorm(g, x, 17, true, false, -1), gamma);
        });
        assertFuses(new FuseLayerNorm(), before, 1, Map.of("LayerNormalization", 1, "Mul", 1));
    }

    @Test
    void fusesInsideIfBranches() {
        assertFuses(new FuseLayerNorm(), FusionTesting.inIf(17, X, X, (g, x) -> layerNorm(g, x, 17, true, true, -1)),
                2, Map.of("If", 1, "LayerNormalization", 2));
    }
}
