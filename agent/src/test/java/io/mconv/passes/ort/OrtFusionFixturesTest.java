package io.mconv.passes.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Dim;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.Pass;
import io.mconv.passes.PassManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ORT fusions on torch-exported fixtures: counts before/after and equivalence in ONNX Runtime. */
class OrtFusionFixturesTest {

    private static Model load(String name) throws Exception {
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated(name))) {
            return ModelCopier.copy(file.model());
        }
    }

    private static Map<String, Integer> runAll(Model m) {
        for (Pass p : OrtFusionPasses.all()) {
            p.run(m, OrtTestSupport.CTX);
        }
        return PassManager.histogram(m);
    }

    @Test
    void bertLikeGetsSkipLayerNormGeluAndMultiHeadAttention() throws Exception {
        Model before = load("bert_like.onnx");
        // a fixed (2, 16) input so the attention runs over real sequences
        Value ids = before.graph().inputs().get(0);
        ValueType.TensorType t = (ValueType.TensorType) ids.type();
        ids.setType(new ValueType.TensorType(t.elemType(), new Shape(java.util.List.of(Dim.of(2), Dim.of(16))),
                t.denotation()));
        Map<String, Integer> ops0 = PassManager.histogram(before);
        Model after = ModelCopier.copy(before);
        Map<String, Integer> ops1 = runAll(after);
        assertEquals(5, ops0.get("LayerNormalization"));
        // every LN: the embedding's (skip = the (1, S, D) position table), and 2 per layer (4 with a bias input)
        assertEquals(5, ops1.get("com.microsoft::SkipLayerNormalization"), ops1.toString());
        assertEquals(null, ops1.get("LayerNormalization"));
        // left: the 6 Q/K/V bias Adds; gone: 5 residuals, 4 biases into SkipLayerNormalization, 2 into BiasGelu,
        // the 2 GELU "+1"s
        assertEquals(19 - 5 - 4 - 2 - 2, ops1.get("Add"), ops1.toString());
        assertEquals(16 - 4, ops1.get("MatMul"), "QK^T and PV of both layers went into MultiHeadAttention");
        assertEquals(2, ops1.get("com.microsoft::BiasGelu"), ops1.toString());
        assertEquals(2, ops1.get("com.microsoft::MultiHeadAttention"), ops1.toString());
        assertEquals(null, ops1.get("com.microsoft::FusedMatMul"), "ort-fuse-attention runs first and takes QK^T");
        assertEquals(null, ops1.get("Softmax"));
        assertEquals(null, ops1.get("Erf"));
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        OrtEquivalence.assertSameOutputs(before, after);
        for (Pass p : OrtFusionPasses.all()) {
            assertEquals(0, p.run(after, OrtTestSupport.CTX).rewrites(), p.name() + " idempotent");
        }
    }

    @Test
    void resnet18ConvReluBecomesFusedConv() throws Exception {
        Model before = load("resnet18.onnx");
        Map<String, Integer> ops0 = PassManager.histogram(before);
        Model after = ModelCopier.copy(before);
        Map<String, Integer> ops1 = runAll(after);
        assertEquals(20, ops0.get("Conv"));
        assertEquals(17, ops0.get("Relu"));
        // 9 Conv -> Relu pairs; the other 8 Relus follow a residual Add, 11 Convs feed an Add or the downsample
        assertEquals(9, ops1.get("com.microsoft::FusedConv"), ops1.toString());
        assertEquals(11, ops1.get("Conv"));
        assertEquals(8, ops1.get("Relu"));
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        OrtEquivalence.assertSameOutputs(before, after);
        assertEquals(0, FuseConvActivation.pass().run(after, OrtTestSupport.CTX).rewrites(), "idempotent");
    }
}
