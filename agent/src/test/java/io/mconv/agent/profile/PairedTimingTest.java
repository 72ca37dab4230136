package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import io.mconv.agent.runtime.ort.OrtRawSession;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two models timed in alternating blocks, and the warm-up floor every timing loop starts with. */
class PairedTimingTest {

    private static ProfileOptions options(int warmup) {
        return ProfileOptions.defaults().withBudget(warmup, RunBudget.iterations(30)).withOpProfileRuns(0);
    }

    @Test
    void eachModelGetsTheAskedRunsAndTheHeavierOneIsSlower(@TempDir Path dir) throws Exception {
        // 64x128 vs 1024x4096 weights: 500 times the MACs, far beyond any noise between the two.
        Path small = DynamicMlp.write(dir);
        Path big = DynamicMlp.write(dir, 1024, 4096);
        PairedTiming.Result r = new PairedTiming(options(2)).measure(small, big, 30);
        assertEquals(30, r.first().count());
        assertEquals(30, r.second().count());
        assertTrue(r.first().min() > 0 && r.first().min() <= r.first().p50() && r.first().p50() <= r.first().max());
        assertTrue(r.second().p50() > 3 * r.first().p50(), r.first() + " vs " + r.second());
    }

    @Test
    void oneIterationAndTheSameFileTwiceWork(@TempDir Path dir) throws Exception {
        Path mlp = DynamicMlp.write(dir);
        PairedTiming.Result r = new PairedTiming(options(0)).measure(mlp, mlp, 1);
        assertEquals(1, r.first().count());
        assertEquals(1, r.second().count());
        assertThrows(IllegalArgumentException.class, () -> new PairedTiming(options(0)).measure(mlp, mlp, 0));
    }

    @Test
    void warmUpLastsAtLeastTheFloorUnlessItIsZeroRuns(@TempDir Path dir) throws Exception {
        Path mlp = DynamicMlp.write(dir);
        try (OrtRawSession session = OrtRawSession.open(mlp, OrtSessionConfig.defaults())) {
            Map<String, Tensor> feeds = new RandomInputs(1).generate(session.inputs(), Map.of("x", Shape.of(1, 64)));
            Map<String, OnnxTensor> ort = Profiler.toOrt(session, feeds);
            try {
                TimingLoop loop = new TimingLoop(session.session(), ort);
                long t0 = System.nanoTime();
                long mean = loop.warmUp(2);
                long elapsed = System.nanoTime() - t0;
                // Two runs of this model take microseconds; the floor keeps it going for half a second.
                assertTrue(elapsed >= TimingLoop.WARM_UP_FLOOR_NANOS, elapsed + " ns");
                assertTrue(mean > 0 && mean < TimingLoop.WARM_UP_FLOOR_NANOS / 100, mean + " ns per run");
                t0 = System.nanoTime();
                assertEquals(0, loop.warmUp(0));
                assertTrue(System.nanoTime() - t0 < TimingLoop.WARM_UP_FLOOR_NANOS, "--warmup 0 runs nothing");
            } finally {
                OnnxValue.close(ort);
            }
        }
    }
}
