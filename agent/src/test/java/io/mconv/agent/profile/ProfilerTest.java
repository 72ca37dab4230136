package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.runtime.ort.ProviderUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {

    private static ProfileOptions quick() {
        return ProfileOptions.defaults().withBudget(2, RunBudget.iterations(20)).withOpProfileRuns(3);
    }

    @Test
    void profilesTinyCnnWithEveryFigure() {
        List<String> stages = new ArrayList<>();
        ModelProfile p = new Profiler(quick(), (m, stage, f) -> stages.add(stage))
                .profile(OrtTraceParserTest.tinyCnn());
        assertEquals("tiny_cnn", p.name());
        assertEquals(List.of("cpu"), p.providers());
        assertEquals(List.of(), p.warnings());
        assertTrue(p.runtime().startsWith("onnxruntime 1.29"), p.runtime());
        assertTrue(p.sessionCreateMs() > 0 && p.firstInferenceMs() > 0);
        BatchProfile b = p.primary();
        assertEquals(null, b.batch());
        assertArrayEquals(new long[] {1, 3, 32, 32}, b.inputShapes().get("input"));
        LatencyStats s = b.latency();
        assertEquals(20, s.count());
        assertEquals(20, b.samplesMs().length);
        assertTrue(s.min() > 0 && s.min() <= s.p50() && s.p50() <= s.p90() && s.p90() <= s.p95()
                && s.p95() <= s.p99() && s.p99() <= s.max(), s.toString());
        assertEquals(1000 / s.mean(), b.throughputPerS(), 1e-9);
        assertEquals(1_622_336L, b.macs(), "inspect's MACs of tiny_cnn");
        assertEquals(2.0 * 1_622_336L / (s.p50() / 1e3) / 1e9, b.gflops(), 1e-9);
        assertEquals(20, java.util.Arrays.stream(b.histogram().counts()).sum());
        assertTrue(p.memory().peakRssBytes() >= p.memory().rssAfterSessionBytes()
                && p.memory().rssAfterSessionBytes() > 0, p.memory().toString());
        // tiny_cnn's 10 KB of weights can land in pages the process already holds, so growth may be zero here;
        // peakGrowsByAtLeastTheWeights checks growth on a model whose weights cannot hide that way.
        assertTrue(p.memory().peakDeltaBytes() >= 0, p.memory().toString());
        assertEquals(-1, p.memory().arenaBytes());
        assertTrue(p.memory().arenaNote().startsWith("not available"));
        assertNotNull(p.ops());
        assertEquals(3, p.ops().runs());
        assertTrue(stages.containsAll(List.of("session", "latency", "op profile")), stages.toString());
    }

    @Test
    void peakGrowsByAtLeastTheWeights(@TempDir Path dir) throws Exception {
        // 1024 x 16384 floats = 64 MiB in w1: ORT copies initializers into fresh allocations far above malloc's
        // mmap threshold, so the resident set must grow by at least that much over the session.
        Path big = DynamicMlp.write(dir, 1024, 16384);
        long weightBytes = 4L * (1024 * 16384 + 16384 * 16);
        ModelProfile p = new Profiler(quick().withOpProfileRuns(0), ProfileListener.NONE).profile(big);
        assertTrue(p.memory().peakIsPerModel(), p.memory().toString());
        assertTrue(p.memory().peakDeltaBytes() >= weightBytes / 2, weightBytes + " bytes of weights; "
                + p.memory());
        assertTrue(p.memory().peakRssBytes() >= p.memory().rssAfterSessionBytes(), p.memory().toString());
    }

    @Test
    void batchSizesScaleMacsAndThroughputIsPerItem(@TempDir Path dir) throws Exception {
        Path mlp = DynamicMlp.write(dir);
        ModelProfile p = new Profiler(quick().withBatches(List.of(1, 4, 16)).withOpProfileRuns(0),
                ProfileListener.NONE).profile(mlp);
        assertEquals(3, p.batches().size());
        for (BatchProfile b : p.batches()) {
            assertArrayEquals(new long[] {b.batch(), 64}, b.inputShapes().get("x"));
            assertEquals(DynamicMlp.MACS_PER_ITEM * b.batch(), b.macs());
            assertEquals(b.batch() * 1000 / b.latency().mean(), b.throughputPerS(), 1e-9);
        }
        assertEquals(null, p.ops());
        assertTrue(p.opsNote().contains("skipped"));
    }

    @Test
    void durationBudgetRunsForAboutThatLong(@TempDir Path dir) throws Exception {
        Path mlp = DynamicMlp.write(dir);
        ModelProfile p = new Profiler(quick().withBudget(1, RunBudget.duration(Duration.ofMillis(300)))
                .withOpProfileRuns(0), ProfileListener.NONE).profile(mlp);
        double total = java.util.Arrays.stream(p.primary().samplesMs()).sum();
        assertTrue(p.primary().latency().count() > 10, "a tiny MLP runs many times in 300 ms");
        assertTrue(total <= 300 + p.primary().latency().max() && total > 150, total + " ms measured");
    }

    @Test
    void batchOnAFixedBatchModelIsRefusedBeforeRunning() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new Profiler(quick().withBatches(List.of(1, 8)), ProfileListener.NONE)
                        .profile(OrtTraceParserTest.tinyCnn()));
        assertTrue(e.getMessage().contains("tiny_cnn.onnx has no input with a symbolic first dimension"),
                e.getMessage());
    }

    @Test
    void inputsFromAFolderOfTensorProtos(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.copy(OrtTraceParserTest.tinyCnn().resolveSibling("tiny_cnn.input.pb"), data.resolve("input_0.pb"));
        ProfileOptions o = new ProfileOptions(List.of(ExecutionProvider.CPU), false, 1, List.of(), 1,
                RunBudget.iterations(3), Map.of(), data, 1, 0, 5);
        ModelProfile p = new Profiler(o, ProfileListener.NONE).profile(OrtTraceParserTest.tinyCnn());
        assertEquals(3, p.primary().latency().count());
        Files.delete(data.resolve("input_0.pb"));
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new Profiler(o, ProfileListener.NONE).profile(OrtTraceParserTest.tinyCnn()));
        assertTrue(e.getMessage().contains("input_0.pb is missing"), e.getMessage());
    }

    @Test
    void missingProviderFallsBackWithAWarningOrFailsWhenStrict() {
        // CUDA is not in the plain onnxruntime jar this build uses.
        ProfileOptions fallback = new ProfileOptions(List.of(ExecutionProvider.CUDA), false, 1, List.of(), 0,
                RunBudget.iterations(2), Map.of(), null, 1, 0, 5);
        ModelProfile p = new Profiler(fallback, ProfileListener.NONE).profile(OrtTraceParserTest.tinyCnn());
        assertEquals(List.of("cpu"), p.providers());
        assertEquals(1, p.warnings().size());
        assertTrue(p.warnings().get(0).contains("Falling back to cpu"), p.warnings().toString());
        ProfileOptions strict = new ProfileOptions(List.of(ExecutionProvider.CUDA), true, 1, List.of(), 0,
                RunBudget.iterations(2), Map.of(), null, 1, 0, 5);
        assertThrows(ProviderUnavailableException.class,
                () -> new Profiler(strict, ProfileListener.NONE).profile(OrtTraceParserTest.tinyCnn()));
    }
}
