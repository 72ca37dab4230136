package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The warm-up floor every timing loop starts with. */
class TimingLoopTest {

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
