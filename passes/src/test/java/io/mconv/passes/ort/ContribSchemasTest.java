package io.mconv.passes.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.Target;
import io.mconv.passes.rewrite.RuleContext;
import io.mconv.schema.OpSchema;
import io.mconv.schema.OpSchemaRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ContribSchemasTest {

    @Test
    void resourceHoldsTheEmittedOperatorsAtOpsetOne() {
        OpSchemaRegistry c = ContribSchemas.contrib();
        assertEquals(Set.of("com.microsoft"), c.domains());
        assertEquals(new TreeSet<>(List.of("Attention", "BiasGelu", "FastGelu", "FusedConv", "FusedMatMul", "Gelu",
                "MatMulNBits", "MultiHeadAttention", "SkipLayerNormalization")), c.operators("com.microsoft"));
        assertEquals(1, c.maxOpset("com.microsoft"));
        for (String op : c.operators("com.microsoft")) {
            assertEquals(1, c.versions("com.microsoft", op).size(), op);
            assertEquals(1, c.get("com.microsoft", op, 1).orElseThrow().sinceVersion(), op);
        }
    }

    @Test
    void signaturesMatchTheContribReference() {
        OpSchemaRegistry c = ContribSchemas.registry();
        OpSchema sln = c.get("com.microsoft", "SkipLayerNormalization", 1).orElseThrow();
        assertEquals(3, sln.minInputs());
        assertEquals(5, sln.maxInputs());
        assertEquals(4, sln.maxOutputs());
        assertEquals("input_skip_bias_sum", sln.outputAt(3).orElseThrow().name());
        assertEquals(1e-12f, (Float) sln.attribute("epsilon").orElseThrow().defaultValue().orElseThrow());
        OpSchema fmm = c.get("com.microsoft", "FusedMatMul", 1).orElseThrow();
        assertEquals(1.0f, (Float) fmm.attribute("alpha").orElseThrow().defaultValue().orElseThrow());
        assertEquals(0L, (Long) fmm.attribute("transB").orElseThrow().defaultValue().orElseThrow());
        OpSchema conv = c.get("com.microsoft", "FusedConv", 1).orElseThrow();
        assertEquals(4, conv.maxInputs());
        assertTrue(conv.attribute("activation_params").isPresent());
        OpSchema mha = c.get("com.microsoft", "MultiHeadAttention", 1).orElseThrow();
        assertEquals(1, mha.minInputs());
        assertTrue(mha.attribute("num_heads").orElseThrow().required());
        assertEquals(2, c.get("com.microsoft", "FastGelu", 1).orElseThrow().maxInputs());
        // the combined registry still answers for the standard ops and does not know com.microsoft opset 0
        assertTrue(c.get("", "LayerNormalization", 17).isPresent());
        assertEquals(21, c.maxOpset(""));
        assertTrue(c.get("com.microsoft", "Gelu", 0).isEmpty());
    }

    @Test
    void availabilityAddsTheImportOnlyForModelsAndRespectsAnImportedVersion() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.output(b.node("Relu", x), DataType.FLOAT, 2);
        Model m = b.model();
        RuleContext ctx = new RuleContext(PassContext.of(OptimizationLevel.AGGRESSIVE, Target.ORT), m.graph());
        assertEquals(null, ContribSchemas.unavailable(ctx, "Gelu"), "not imported: the rewrite will import it");
        assertEquals("com.microsoft::NoSuchOp does not exist at com.microsoft opset 1",
                ContribSchemas.unavailable(ctx, "NoSuchOp"));
        assertEquals(-1, m.opsetVersion("com.microsoft"));
        ContribSchemas.ensureImport(m.graph());
        assertEquals(1, m.opsetVersion("com.microsoft"));
        m.opsetImports().put("com.microsoft", 0);
        assertEquals("com.microsoft::Gelu does not exist at com.microsoft opset 0",
                ContribSchemas.unavailable(ctx, "Gelu"));
    }

    @Test
    void passesAreOrtOnlyAggressiveAndKebabCase() {
        List<Pass> all = OrtFusionPasses.all();
        assertEquals(List.of("ort-fuse-skip-layer-norm", "ort-fuse-gelu", "ort-fuse-conv-activation",
                "ort-fuse-attention", "ort-fuse-fused-matmul"), all.stream().map(Pass::name).toList());
        for (Pass p : all) {
            assertEquals(Set.of(Target.ORT), p.targets(), p.name());
            assertEquals(OptimizationLevel.AGGRESSIVE, p.level(), p.name());
            assertFalse(p.description().isBlank());
        }
    }
}
