package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.mconv.agent.runtime.ort.OrtRawSession;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Tensor;
import io.mconv.ir.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtTraceParserTest {

    static Path tinyCnn() {
        return Fixtures.testdata().resolve("examples").resolve("tiny_cnn.onnx");
    }

    /** Runs tiny_cnn {@code runs} times in a session with ORT's profiler on and returns the trace ORT wrote. */
    static Path realTrace(Path dir, int runs) throws Exception {
        OrtSessionConfig config = OrtSessionConfig.defaults().withIntraOpThreads(1)
                .withProfiling(dir.resolve("ort").toString());
        try (OrtRawSession s = OrtRawSession.open(tinyCnn(), config)) {
            Map<String, Tensor> feeds = new RandomInputs(1).generate(s.inputs(), Map.of());
            try (OnnxTensor x = s.tensor("input", feeds.get("input"))) {
                for (int i = 0; i < runs; i++) {
                    try (OrtSession.Result r = s.session().run(Map.of("input", x))) {
                        assertEquals(1, r.size());
                    }
                }
            }
            return s.endProfiling().orElseThrow();
        }
    }

    @Test
    void parsesTheTraceOrtWroteForTinyCnn(@TempDir Path dir) throws Exception {
        Path trace = realTrace(dir, 4);
        assertTrue(Files.size(trace) > 0 && trace.getFileName().toString().startsWith("ort"), trace.toString());
        OpBreakdown b = new OrtTraceParser().parse(trace, 3);
        assertEquals(3, b.runs(), "4 runs, the first dropped");
        // tiny_cnn: Conv, Relu, Conv, Relu, GlobalAveragePool, Flatten, Gemm. ORT (all optimizations) fuses each
        // Relu into its Conv (FusedConv) and may turn Gemm/Flatten around, so check what survives any fusion.
        Set<String> types = b.byOpType().stream().map(OpBreakdown.OpTime::opType).collect(Collectors.toSet());
        assertTrue(types.contains("GlobalAveragePool"), types.toString());
        assertTrue(types.stream().anyMatch(t -> t.contains("Conv")), types.toString());
        int convNodes = b.byOpType().stream().filter(t -> t.opType().contains("Conv"))
                .mapToInt(OpBreakdown.OpTime::nodes).sum();
        assertEquals(2, convNodes, "tiny_cnn has two convolutions");
        double shares = b.byOpType().stream().mapToDouble(OpBreakdown.OpTime::share).sum();
        assertEquals(1.0, shares, 1e-9);
        double ms = b.byOpType().stream().mapToDouble(OpBreakdown.OpTime::msPerRun).sum();
        assertEquals(b.kernelMsPerRun(), ms, 1e-9);
        assertTrue(b.kernelMsPerRun() > 0 && b.runMsPerRun() >= b.kernelMsPerRun(),
                b.kernelMsPerRun() + " kernel ms vs " + b.runMsPerRun() + " run ms");
        assertEquals(3, b.topNodes().size());
        for (int i = 1; i < b.topNodes().size(); i++) {
            assertTrue(b.topNodes().get(i - 1).msPerRun() >= b.topNodes().get(i).msPerRun(), "slowest first");
        }
        assertTrue(b.topNodes().stream().allMatch(n -> n.provider().equals("CPUExecutionProvider")),
                b.topNodes().toString());
    }

    @Test
    void firstRunIsLeftOutAndTimesAreAveragedPerRun(@TempDir Path dir) throws IOException {
        // Two runs: the first (ts 0..100) is the warm-up; only the second's kernels count.
        String trace = """
                [
                {"cat":"Session","pid":1,"tid":1,"dur":100,"ts":0,"ph":"X","name":"model_run","args":{}},
                {"cat":"Node","pid":1,"tid":1,"dur":90,"ts":5,"ph":"X","name":"a_kernel_time",
                 "args":{"op_name":"Conv","provider":"CPUExecutionProvider"}},
                {"cat":"Session","pid":1,"tid":1,"dur":50,"ts":200,"ph":"X","name":"model_run","args":{}},
                {"cat":"Node","pid":1,"tid":1,"dur":3,"ts":201,"ph":"X","name":"a_fence_before",
                 "args":{"op_name":"Conv"}},
                {"cat":"Node","pid":1,"tid":1,"dur":30,"ts":205,"ph":"X","name":"a_kernel_time",
                 "args":{"op_name":"Conv","provider":"CPUExecutionProvider"}},
                {"cat":"Node","pid":1,"tid":1,"dur":10,"ts":236,"ph":"X","name":"b_kernel_time",
                 "args":{"op_name":"Relu","provider":"CPUExecutionProvider"}}
                ]""";
        Path file = Files.writeString(dir.resolve("t.json"), trace);
        OpBreakdown b = new OrtTraceParser().parse(file, 10);
        assertEquals(1, b.runs());
        assertEquals(0.040, b.kernelMsPerRun(), 1e-12);
        assertEquals(0.050, b.runMsPerRun(), 1e-12);
        assertEquals("Conv", b.byOpType().get(0).opType());
        assertEquals(0.75, b.byOpType().get(0).share(), 1e-12);
        assertEquals("b", b.topNodes().get(1).name());
        assertEquals(0.25, b.topNodes().get(1).share(), 1e-12);
    }

    @Test
    void aFileThatIsNotATraceIsRefused(@TempDir Path dir) throws IOException {
        Path notTrace = Files.writeString(dir.resolve("x.json"), "{\"a\": 1}");
        assertThrows(IOException.class, () -> new OrtTraceParser().parse(notTrace, 5));
        Path noRuns = Files.writeString(dir.resolve("y.json"), "[]");
        IOException e = assertThrows(IOException.class, () -> new OrtTraceParser().parse(noRuns, 5));
        assertTrue(e.getMessage().contains("no model_run"), e.getMessage());
    }
}
