package io.mconv.agent.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pruner on resnet18 and bert_like (testdata/generated) at sparsity 0.5, unstructured and structured: the figures
 * of the README (printed), the file written passes onnx.checker (full check) and runs in ONNX Runtime, and the
 * accuracy bar refuses without writing.
 */
class PrunerRealModelsTest {

    @TempDir
    Path dir;

    private PruneResult prune(String model, boolean structured) throws Exception {
        Path out = dir.resolve(model + (structured ? ".channels" : ".magnitude") + ".onnx");
        PruneResult r = new Pruner().prune(Fixtures.generated(model + ".onnx"), out, PruneOptions.of(0.5, structured));
        System.out.printf(Locale.ROOT, "| %s | %s | %d pruned, %d skipped | %.3f | %d -> %d | %.3f | %.2f | %.6f | "
                        + "%.4g |%n", model, r.method(), r.layersPruned(), r.skipped().size(), r.sparsityReached(),
                r.parametersBefore(), r.parametersAfter(), r.sizeRatio(), r.latency().ratio(),
                r.quality().worstCosine(), r.quality().worstAbsError());
        assertEquals(Files.size(out), r.outputBytes());
        io.mconv.agent.quantize.OnnxCheckScriptAccess.assertValid(java.util.List.of(out));
        try (OrtModelRunner runner = OrtModelRunner.open(out, OrtSessionConfig.defaults())) {
            assertEquals(1, runner.outputs().size(), "the written file loads in ORT");
        }
        return r;
    }

    @Test
    void resnet18() throws Exception {
        PruneResult u = prune("resnet18", false);
        assertEquals(21, u.layersPruned(), "20 Conv and the Gemm");
        assertEquals(0.5, u.sparsityReached(), 0.001);
        assertEquals(u.parametersBefore(), u.parametersAfter(), "unstructured keeps the shapes");
        assertEquals(1.0, u.sizeRatio(), 0.001, "dense zeros take the same bytes");
        assertTrue(u.quality().worstCosine() < 0.9999, "half the weights gone must show: " + u.quality());

        PruneResult s = prune("resnet18", true);
        assertEquals(8, s.layersPruned(), "the first Conv of each basic block; " + s.skipped());
        assertTrue(s.skipped().stream().anyMatch(k -> k.contains("residual Add")), s.skipped().toString());
        assertTrue(s.skipped().stream().anyMatch(k -> k.contains("graph output")), s.skipped().toString());
        assertTrue(s.sizeRatio() < 0.8 && s.sizeRatio() > 0.5, "size ratio " + s.sizeRatio());
        assertEquals(s.sizeRatio(), (double) s.parametersAfter() / s.parametersBefore(), 0.01);
    }

    @Test
    void bertLike() throws Exception {
        PruneResult u = prune("bert_like", false);
        assertEquals(12, u.layersPruned(), "q, k, v, out, fc1, fc2 of both layers; " + u.skipped());
        assertEquals(4, u.skipped().size(), "the attention MatMuls have no constant weight: " + u.skipped());
        PruneResult s = prune("bert_like", true);
        assertEquals(2, s.layersPruned(), "fc1 of both layers, through the erf Gelu; " + s.skipped());
        assertTrue(s.skipped().stream().anyMatch(k -> k.contains("attn/query/MatMul (MatMul): it feeds ")
                && k.contains("(Shape), whose result counts the channels")), s.skipped().toString());
        assertTrue(s.skipped().stream().anyMatch(k -> k.contains("fc2/MatMul (MatMul): it feeds ")
                && k.contains("(LayerNormalization), which mixes the channels")), s.skipped().toString());
        assertTrue(s.sizeRatio() < 1, "size ratio " + s.sizeRatio());
    }

    @Test
    void accuracyBarRefusesAndWritesNothing() {
        Path out = dir.resolve("refused.onnx");
        PruneOptions strict = PruneOptions.of(0.5, false).withMaxAccuracyDrop(1e-6).withLatencyRuns(0);
        ValidationFailedException e = assertThrows(ValidationFailedException.class,
                () -> new Pruner().prune(Fixtures.generated("bert_like.onnx"), out, strict));
        assertTrue(e.getMessage().contains("--max-accuracy-drop"), e.getMessage());
        assertFalse(Files.exists(out));
    }
}
