package io.mconv.passes.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import io.mconv.passes.PassStats;
import io.mconv.passes.Target;
import io.mconv.passes.cleanup.EliminateDeadCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The fusion passes (plus eliminate-dead-code) at AGGRESSIVE on the torch-exported fixtures: outputs match in ORT,
 * the verifier holds, a second optimization rewrites nothing. Prints node counts, per-pass fusions and op
 * histograms before and after.
 */
class FusionFixturesTest {

    static final PassContext CTX = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.PORTABLE);

    static List<Pass> pipeline() {
        List<Pass> passes = new ArrayList<>(FusionPasses.all());
        passes.add(new EliminateDeadCode());
        return passes;
    }

    static PassReport optimize(Model model) {
        return new PassManager(pipeline()).run(model, CTX);
    }

    static String fused(PassReport r) {
        return r.passes().stream().filter(s -> s.rewrites() > 0)
                .map(s -> s.pass() + "=" + s.rewrites()).collect(Collectors.joining(", "));
    }

    static int rewrites(PassReport r, String pass) {
        return r.passes().stream().filter(s -> s.pass().equals(pass)).mapToInt(PassStats::rewrites).sum();
    }

    /**
     * Expected fusions per fixture at its own opset 17: torch already folded BatchNorm into the convs and exported
     * Linear layers as Gemm and LayerNorm as LayerNormalization, so only bert_manual_ln's hand-written LayerNorms
     * (5: embedding + 2 per layer x 2 layers) are left to fuse; Gelu (opset 20) and HardSwish/Mish cannot be made.
     */
    @ParameterizedTest
    @CsvSource({"resnet18, 0, 0", "mobilenet_v2, 0, 0", "efficientnet_b0, 0, 0", "convnext_tiny, 0, 0",
            "bert_like, 0, 0", "bert_manual_ln, 5, 5"})
    void fixturesKeepTheirOutputsAndReachAFixedPoint(String name, int layerNorms, int allFusions)
            throws Exception {
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated(name + ".onnx"))) {
            Model before = ModelCopier.copy(file.model());
            Model after = file.model();
            PassReport r = optimize(after);
            System.out.printf("%s: nodes %d -> %d; fusions: [%s]%n  before %s%n  after  %s%n", name, r.nodesBefore(),
                    r.nodesAfter(), fused(r), r.opsBefore(), r.opsAfter());
            assertEquals(layerNorms, rewrites(r, "fuse-layer-norm"), name);
            assertEquals(allFusions, r.passes().stream().filter(s -> s.pass().startsWith("fuse-"))
                    .mapToInt(PassStats::rewrites).sum(), name + ": all fusions");
            assertTrue(r.reachedFixedPoint());
            assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
            OrtEquivalence.assertSameOutputs(before, after);
            assertEquals(0, optimize(after).totalRewrites(), name + ": idempotent");
        }
    }

    @Test
    void bertManualLnBecomesLayerNormThenGeluAtOpset20() throws Exception {
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated("bert_manual_ln.onnx"))) {
            Model original = ModelCopier.copy(file.model());
            Model m = file.model();
            Map<String, Integer> ops0 = PassManager.histogram(m);
            assertEquals(5, new FuseLayerNorm().run(m, CTX).rewrites());
            assertEquals(0, new FuseGelu().run(m, CTX).rewrites(), "opset 17 has no Gelu");
            assertEquals(0, PassManager.histogram(m).getOrDefault("ReduceMean", 0));
            // ReduceMean was the only op in the model whose meaning changes between 17 and 20; it is gone now.
            m.opsetImports().put("", 20);
            assertEquals(2, new FuseGelu().run(m, CTX).rewrites(), "one exact-erf GELU per encoder layer");
            new EliminateDeadCode().run(m, CTX);
            Map<String, Integer> ops = PassManager.histogram(m);
            System.out.printf("bert_manual_ln at opset 20: nodes %d -> %d%n  before %s%n  after  %s%n",
                    ops0.values().stream().mapToInt(Integer::intValue).sum(),
                    ops.values().stream().mapToInt(Integer::intValue).sum(), ops0, ops);
            assertEquals(5, ops.get("LayerNormalization"));
            assertEquals(2, ops.get("Gelu"));
            assertEquals(0, ops.getOrDefault("Erf", 0));
            assertEquals(0, ops.getOrDefault("Sqrt", 0));
            assertTrue(GraphVerifier.check(m).isEmpty(), GraphVerifier.check(m).toString());
            OrtEquivalence.assertSameOutputs(original, m);
            assertEquals(0, optimize(m).totalRewrites(), "idempotent");
        }
    }

    @ParameterizedTest
    @CsvSource({"bert_like, 2", "convnext_tiny, 18"})
    void geluFusesOnceTheOpsetIsRaisedTo20(String name, int gelus) throws Exception {
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated(name + ".onnx"))) {
            Model original = ModelCopier.copy(file.model());
            Model m = file.model();
            assertEquals(0, PassManager.histogram(m).getOrDefault("ReduceMean", 0),
                    "no op whose meaning changes between opsets 17 and 20");
            m.opsetImports().put("", 20);
            PassReport r = optimize(m);
            System.out.printf("%s at opset 20: nodes %d -> %d; fusions: [%s]%n  after %s%n", name, r.nodesBefore(),
                    r.nodesAfter(), fused(r), r.opsAfter());
            assertEquals(gelus, rewrites(r, "fuse-gelu"));
            assertEquals(gelus, r.opsAfter().get("Gelu"));
            assertEquals(0, r.opsAfter().getOrDefault("Erf", 0));
            assertTrue(GraphVerifier.check(m).isEmpty(), GraphVerifier.check(m).toString());
            OrtEquivalence.assertSameOutputs(original, m);
            assertEquals(0, optimize(m).totalRewrites(), "idempotent");
        }
    }
}
