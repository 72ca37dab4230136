package io.mconv.passes.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.validation.ModelValidator;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.PassReport;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import io.mconv.passes.cleanup.CleanupPasses;
import io.mconv.passes.fold.FoldingPasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ort-fuse-attention on the torch-exported bert_like (symbolic batch and sequence, 2 layers, 4 heads of 32): both
 * self-attention blocks become MultiHeadAttention, straight from the file (run-time reshape targets), after the
 * cleanup and folding passes (constant targets), after ort-fuse-fused-matmul, and in the full -O aggressive ORT
 * pipeline; each result is run in ONNX Runtime at several (batch, sequence) shapes so the two cannot be confused.
 */
class FuseAttentionBertTest {

    private static final List<Shape> SHAPES = List.of(Shape.of(2, 5), Shape.of(1, 16), Shape.of(3, 7));

    private static Model load() throws Exception {
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated("bert_like.onnx"))) {
            return ModelCopier.copy(file.model());
        }
    }

    private static void assertSameAtShapes(Model before, Model after) {
        long seed = 11;
        for (Shape s : SHAPES) {
            ValidationReport r = new ModelValidator(null, Map.of("input_ids", s), seed++).validate(before, after);
            assertTrue(r.passed(), () -> "at input_ids " + s + ": " + r.firstFailure());
        }
    }

    private static void assertTwoAttentions(Model after) {
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        Map<String, Integer> ops = PassManager.histogram(after);
        assertEquals(2, ops.get("com.microsoft::MultiHeadAttention"), ops.toString());
        for (String gone : List.of("Softmax", "Transpose", "Reshape", "Concat", "com.microsoft::FusedMatMul")) {
            assertEquals(null, ops.get(gone), gone + " in " + ops);
        }
        for (Node n : after.graph()) {
            if (n.opType().equals(FuseAttention.OP)) {
                assertEquals(4, n.attribute("num_heads").orElseThrow().asInt());
                assertEquals(1 / Math.sqrt(32), n.attribute("scale").orElseThrow().asFloat(), 1e-6 / Math.sqrt(32));
                assertTrue(n.inputs().stream().allMatch(v -> v.producer().opType().equals("Add")),
                        "query/key/value are the projection Adds");
            }
        }
        assertEquals(0, FuseAttention.pass().run(after, OrtTestSupport.CTX).rewrites(), "idempotent");
    }

    @Test
    void straightFromTheFileWithRunTimeReshapeTargets() throws Exception {
        Model before = load();
        Model after = ModelCopier.copy(before);
        PassResult r = FuseAttention.pass().run(after, OrtTestSupport.CTX);
        assertEquals(2, r.rewrites(), r.diagnostics().toString());
        assertTwoAttentions(after);
        // per layer gone: 2 MatMuls, the scale Mul, Softmax, 4 Transposes, 4 Reshapes and their run-time targets
        // (8 Shape, 8 Gather, 8 Unsqueeze, 4 Concat) and 24 Constants (8 Gather indices, 8 Unsqueeze axes, 7 target
        // pieces, the scale)
        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(Map.entry("Add", 19), Map.entry("Cast", 1),
                Map.entry("Constant", 58 - 48), Map.entry("Div", 2), Map.entry("Erf", 2), Map.entry("Gather", 3),
                Map.entry("LayerNormalization", 5), Map.entry("MatMul", 12), Map.entry("Mul", 4),
                Map.entry("Range", 1), Map.entry("Shape", 1), Map.entry("Unsqueeze", 1),
                Map.entry("com.microsoft::MultiHeadAttention", 2)));
        assertEquals(expected, new TreeMap<>(PassManager.histogram(after)));
        assertEquals(189 - 2 * 64 + 2, Graphs.nodeCount(after));
        assertSameAtShapes(before, after);
    }

    @Test
    void afterCleanupAndFoldingWithConstantReshapeTargets() throws Exception {
        Model before = load();
        Model folded = ModelCopier.copy(before);
        List<Pass> cleanup = new ArrayList<>(CleanupPasses.all());
        cleanup.addAll(FoldingPasses.all());
        new PassManager(cleanup).run(folded, OrtTestSupport.CTX);
        Map<String, Integer> ops0 = PassManager.histogram(folded);
        assertEquals(8, ops0.get("Reshape"));
        assertEquals(null, ops0.get("Concat"), "the reshape targets are constants now");
        Model after = ModelCopier.copy(folded);
        assertEquals(2, FuseAttention.pass().run(after, OrtTestSupport.CTX).rewrites());
        assertTwoAttentions(after);
        Map<String, Integer> ops1 = PassManager.histogram(after);
        assertEquals(ops0.get("MatMul") - 4, ops1.get("MatMul"));
        assertEquals(ops0.get("Mul") - 2, ops1.get("Mul"));
        assertEquals(Graphs.nodeCount(folded) - 2 * 12 + 2, Graphs.nodeCount(after));
        assertSameAtShapes(before, after);

        // the same after ort-fuse-fused-matmul took QKᵀ and the scale: FusedMatMul(alpha) is accepted
        Model viaFused = ModelCopier.copy(folded);
        assertEquals(2, FuseFusedMatMul.pass().run(viaFused, OrtTestSupport.CTX).rewrites());
        assertEquals(2, FuseAttention.pass().run(viaFused, OrtTestSupport.CTX).rewrites());
        assertTwoAttentions(viaFused);
        assertEquals(PassManager.histogram(after), PassManager.histogram(viaFused));
        assertSameAtShapes(before, viaFused);
    }

    @Test
    void theFullOrtPipelineFusesBothAttentionBlocks() throws Exception {
        Model before = load();
        Model after = ModelCopier.copy(before);
        List<Pass> pipeline = PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE, Target.ORT, List.of(),
                List.of());
        PassReport report = new PassManager(pipeline).run(after, OrtTestSupport.CTX);
        assertTrue(report.reachedFixedPoint());
        assertTwoAttentions(after);
        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(Map.entry("Add", 6), Map.entry("Gather", 3),
                Map.entry("MatMul", 12), Map.entry("Range", 1), Map.entry("Shape", 1), Map.entry("Unsqueeze", 1),
                Map.entry("com.microsoft::BiasGelu", 2), Map.entry("com.microsoft::MultiHeadAttention", 2),
                Map.entry("com.microsoft::SkipLayerNormalization", 5)));
        assertEquals(expected, new TreeMap<>(PassManager.histogram(after)));
        assertEquals(189, Graphs.nodeCount(before));
        assertEquals(33, Graphs.nodeCount(after));
        assertSameAtShapes(before, after);
        PassReport again = new PassManager(pipeline).run(after, OrtTestSupport.CTX);
        assertEquals(0, again.totalRewrites(), "the pipeline is at its fixed point");

        // without the attention fusion the same pipeline leaves 53 nodes (FusedMatMul for QKᵀ and the scale)
        Model without = ModelCopier.copy(before);
        new PassManager(pipeline.stream().filter(p -> !p.name().equals(FuseAttention.NAME)).toList())
                .run(without, OrtTestSupport.CTX);
        assertEquals(53, Graphs.nodeCount(without));
        assertFalse(PassManager.histogram(without).containsKey("com.microsoft::MultiHeadAttention"));
    }
}
