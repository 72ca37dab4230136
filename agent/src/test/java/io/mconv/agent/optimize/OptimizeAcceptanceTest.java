package io.mconv.agent.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.GraphOptimizationLevel;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.proto.Onnx;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.PassReport;
import io.mconv.passes.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's model goals on torch.onnx exports: at {@code -O basic} mconv leaves no more nodes than ONNX Runtime's own
 * BASIC-level optimizer (its saved optimized model), outputs stay within 1e-5 relative, and a second optimization
 * changes nothing; at {@code -O aggressive} LayerNorm and GELU are fused in the BERT-like model.
 */
class OptimizeAcceptanceTest {

    @TempDir
    Path dir;

    private static PassReport optimize(Model model, OptimizationLevel level) {
        PassContext context = PassContext.of(level, Target.PORTABLE).withVerifyEach(true);
        return new PassManager(PassRegistry.standard().select(level, Target.PORTABLE, List.of(), List.of()))
                .run(model, context);
    }

    private int ortBasicNodeCount(Path model, String name) throws Exception {
        Path saved = dir.resolve(name + ".ort-basic.onnx");
        OrtSessionConfig config = OrtSessionConfig.forValidation()
                .withOptimizationLevel(GraphOptimizationLevel.BASIC).withOptimizedModelPath(saved);
        try (ModelRunner ignored = OrtModelRunner.open(model, config)) {
            // Creating the session writes the optimized model.
        }
        return Onnx.ModelProto.parseFrom(Files.readAllBytes(saved)).getGraph().getNodeCount();
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2", "efficientnet_b0", "convnext_tiny", "bert_like"})
    void basicLeavesNoMoreNodesThanOrtBasicAndKeepsOutputs(String name) throws Exception {
        Path file = Fixtures.generated(name + ".onnx");
        int ortBasic = ortBasicNodeCount(file, name);
        try (IrModelFile loaded = new ModelLoader().load(file)) {
            Model original = ModelCopier.copy(loaded.model());
            Model optimized = loaded.model();
            PassReport report = optimize(optimized, OptimizationLevel.BASIC);
            System.out.printf("%-16s nodes: original %4d, ORT BASIC %4d, mconv -O basic %4d (%d rewrites)%n", name,
                    report.nodesBefore(), ortBasic, report.nodesAfter(), report.totalRewrites());
            assertTrue(GraphVerifier.check(optimized).isEmpty());
            assertTrue(report.nodesAfter() <= ortBasic, name + ": mconv -O basic leaves " + report.nodesAfter()
                    + " nodes, ORT BASIC " + ortBasic);
            OrtEquivalence.assertSameOutputs(original, optimized, Tolerance.of(1e-6, 1e-5));
            assertEquals(0, optimize(optimized, OptimizationLevel.BASIC).totalRewrites(), "idempotent");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2", "efficientnet_b0", "convnext_tiny", "bert_like"})
    void aggressiveForEveryTargetKeepsOutputsAndIsIdempotent(String name) throws Exception {
        for (Target target : Target.values()) {
            try (IrModelFile loaded = new ModelLoader().load(Fixtures.generated(name + ".onnx"))) {
                Model original = ModelCopier.copy(loaded.model());
                Model optimized = loaded.model();
                PassContext context = PassContext.of(OptimizationLevel.AGGRESSIVE, target).withVerifyEach(true);
                PassManager manager = new PassManager(PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE,
                        target, List.of(), List.of()));
                PassReport report = manager.run(optimized, context);
                System.out.printf("%-16s -O aggressive --target %-8s nodes %4d -> %4d%n", name, target,
                        report.nodesBefore(), report.nodesAfter());
                OrtEquivalence.assertSameOutputs(original, optimized, Tolerance.of(1e-5, 1e-4));
                assertEquals(0, manager.run(optimized, context).totalRewrites(), name + " " + target + ": idempotent");
            }
        }
    }

    @Test
    void aggressiveFusesLayerNormAndGeluInTheBertLikeModel() throws Exception {
        Path source = Fixtures.generated("bert_manual_ln.onnx");
        Path out = dir.resolve("bert.opt.onnx");
        OptimizationResult r = new Optimizer().optimize(source, out, OptimizeOptions.defaults()
                .withLevel(OptimizationLevel.AGGRESSIVE).withOpset(20));
        System.out.println("bert_manual_ln -O aggressive --opset 20: " + r.passes().opsBefore() + " -> "
                + r.passes().opsAfter());
        assertTrue(r.validation().passed());
        assertEquals(20, r.opsetAfter());
        assertEquals(5, r.passes().opsAfter().getOrDefault("LayerNormalization", 0), "one per hand-written LayerNorm");
        assertEquals(0, r.passes().opsAfter().getOrDefault("ReduceMean", 0));
        assertEquals(2, r.passes().opsAfter().getOrDefault("Gelu", 0), "one per encoder layer");
        assertEquals(0, r.passes().opsAfter().getOrDefault("Erf", 0));
        OptimizationResult again = new Optimizer().optimize(out, dir.resolve("bert.opt2.onnx"), OptimizeOptions
                .defaults().withLevel(OptimizationLevel.AGGRESSIVE).withOpset(20));
        assertEquals(0, again.passes().totalRewrites(), "idempotent");
    }
}
