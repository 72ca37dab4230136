package io.mconv.agent.runtime.torch;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.worker.WorkerTestHook;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mconv.agent.runtime.torch.TorchFixtures.cnnFeeds;
import static io.mconv.agent.runtime.torch.TorchFixtures.cnnInputs;
import static io.mconv.agent.runtime.torch.TorchFixtures.cnnOutputs;
import static io.mconv.agent.runtime.torch.TorchFixtures.file;
import static io.mconv.agent.runtime.torch.TorchFixtures.pb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real libtorch 2.7.1 through DJL in a worker JVM, on the fixtures torch 1.13 wrote and recorded outputs for. */
class TorchScriptRunnerTest {

    private static final TorchRunnerConfig CONFIG = TorchRunnerConfig.defaults();

    @BeforeAll
    static void libtorchIsThere() {
        TorchFixtures.requireLibtorch();
    }

    private static TorchScriptRunner cnn(TorchRunnerConfig config) {
        return TorchScriptRunner.open(file("two_input_cnn.pt"), cnnInputs(), cnnOutputs(), config);
    }

    private static void assertMatchesRecorded(Map<String, Tensor> out) {
        assertEquals(List.of("logits", "features"), List.copyOf(out.keySet()));
        // torch 1.13 recorded these; libtorch 2.7.1 may sum in another order, so float32 tolerance, not bits.
        ComparisonResult logits = TensorComparison.compare("logits", pb("output_0"), out.get("logits"),
                Tolerance.FP32);
        ComparisonResult features = TensorComparison.compare("features", pb("output_1"), out.get("features"),
                Tolerance.FP32);
        assertTrue(logits.passed(), logits::toString);
        assertTrue(features.passed(), features::toString);
        assertTrue(logits.maxAbsError() < 1e-5, logits::toString);
        assertArrayEquals(new long[] {1, 10}, out.get("logits").dims());
        assertArrayEquals(new long[] {1, 16}, out.get("features").dims());
    }

    @Test
    void outputsEqualWhatTorchRecordedAndInputsGoByPosition() {
        try (TorchScriptRunner runner = cnn(CONFIG)) {
            assertMatchesRecorded(runner.run(cnnFeeds()));
            assertTrue(runner.describe().startsWith("libtorch 2.7.1 (DJL 0.35.1"), runner.describe());
            TorchStartup s = runner.startup();
            assertTrue(s.total().compareTo(s.engineInit().plus(s.modelLoad())) >= 0, s::toString);
            assertFalse(s.jvmStart().isNegative(), s::toString);
            // Feeding the map in the other order changes nothing: the runner orders by its declared inputs.
            Map<String, Tensor> reversed = new LinkedHashMap<>();
            reversed.put("bias", cnnFeeds().get("bias"));
            reversed.put("image", cnnFeeds().get("image"));
            assertMatchesRecorded(runner.run(reversed));
            Map<String, Tensor> onlyFeatures = runner.run(reversed, List.of("features"));
            assertEquals(List.of("features"), List.copyOf(onlyFeatures.keySet()));
        }
    }

    @Test
    void oneWorkerServesManyRuns() {
        try (TorchScriptRunner runner = cnn(CONFIG)) {
            long pid = runner.workerPid();
            Map<String, Tensor> first = runner.run(cnnFeeds());
            Map<String, Tensor> last = first;
            for (int i = 0; i < 25; i++) {
                Map<String, Tensor> feeds = new LinkedHashMap<>(cnnFeeds());
                float[] bias = new float[10];
                bias[i % 10] = i;
                feeds.put("bias", Tensor.ofFloats("bias", new long[] {1, 10}, bias));
                Map<String, Tensor> out = runner.run(feeds);
                // The bias is added to the logits only: features stay the same, logits move by exactly the bias.
                assertTrue(out.get("features").contentEquals(first.get("features")));
                last = runner.run(cnnFeeds());
            }
            assertEquals(pid, runner.workerPid());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertTrue(last.get("logits").contentEquals(first.get("logits")), "same input, same bits on every run");
        }
    }

    @Test
    void workerKilledBySignalBecomesAFailureAndANewRunnerWorks() {
        TorchScriptRunner runner = cnn(CONFIG);
        try {
            assertMatchesRecorded(runner.run(cnnFeeds()));
            ProcessHandle worker = ProcessHandle.of(runner.workerPid()).orElseThrow();
            worker.destroyForcibly();
            worker.onExit().join();
            RuntimeFailureException e = assertThrows(RuntimeFailureException.class, () -> runner.run(cnnFeeds()));
            assertEquals(TorchScriptRunner.CRASHED, e.runtimeCode());
            assertTrue(e.getMessage().contains("libtorch crashed (signal 9 (SIGKILL))"), e.getMessage());
            assertTrue(e.getMessage().contains("two_input_cnn.pt"), e.getMessage());
            RuntimeFailureException again = assertThrows(RuntimeFailureException.class,
                    () -> runner.run(cnnFeeds()));
            assertTrue(again.getMessage().contains("no longer running"), again.getMessage());
        } finally {
            runner.close();
        }
        try (TorchScriptRunner fresh = cnn(CONFIG)) {
            assertMatchesRecorded(fresh.run(cnnFeeds()));
        }
    }

    @Test
    void nativeCrashInTheWorkerIsReportedWithTheSignalAndTheJvmCrashHeader() throws Exception {
        Path crashReport;
        TorchRunnerConfig crashing = CONFIG.withWorkerProperty(WorkerTestHook.PROPERTY, "segfault-on-run");
        try (TorchScriptRunner runner = cnn(crashing)) {
            long pid = runner.workerPid();
            RuntimeFailureException e = assertThrows(RuntimeFailureException.class, () -> runner.run(cnnFeeds()));
            assertEquals(TorchScriptRunner.CRASHED, e.runtimeCode());
            assertTrue(e.getMessage().startsWith("libtorch crashed (signal 11 (SIGSEGV), caught by the JVM; exit 1) "
                    + "during the run of " + file("two_input_cnn.pt")), e.getMessage());
            assertTrue(e.getMessage().contains("problematic frame: V [libjvm.so+"), e.getMessage());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            Matcher report = Pattern.compile("crash report: (\\S+hs_err_pid" + pid + "\\.log)").matcher(e.getMessage());
            assertTrue(report.find(), e.getMessage());
            crashReport = Path.of(report.group(1));
        }
        // Kept after close, since the message points to it; this test cleans it up.
        assertTrue(Files.readString(crashReport).contains("SIGSEGV"));
        Files.delete(crashReport);
        Files.delete(crashReport.getParent());
    }

    @Test
    void aHangingRunIsKilledAfterTheTimeout() {
        TorchRunnerConfig hanging = CONFIG.withRunTimeout(Duration.ofSeconds(2))
                .withWorkerProperty(WorkerTestHook.PROPERTY, "sleep-on-run:120000");
        try (TorchScriptRunner runner = cnn(hanging)) {
            long pid = runner.workerPid();
            long start = System.nanoTime();
            RuntimeFailureException e = assertThrows(RuntimeFailureException.class, () -> runner.run(cnnFeeds()));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals(TorchScriptRunner.TIMED_OUT, e.runtimeCode());
            assertTrue(e.getMessage().contains("libtorch did not answer within 2s"), e.getMessage());
            assertTrue(seconds < 20, "killed promptly, took " + seconds + " s");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void aRunLibtorchRefusesIsAnAnswerAndTheWorkerLivesOn() {
        try (TorchScriptRunner runner = TorchScriptRunner.open(file("two_input_cnn.pt"),
                Map.of("image", new ValueType.TensorType(DataType.FLOAT, Shape.of(1, 4, 16, 16)),
                        "bias", new ValueType.TensorType(DataType.FLOAT, Shape.of(1, 10))).entrySet().stream()
                        .sorted((a, b) -> a.getKey().equals("image") ? -1 : 1)
                        .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll),
                cnnOutputs(), CONFIG)) {
            Map<String, Tensor> wrong = new LinkedHashMap<>(cnnFeeds());
            wrong.put("image", Tensor.ofFloats("image", new long[] {1, 4, 16, 16}, new float[4 * 16 * 16]));
            RuntimeFailureException e = assertThrows(RuntimeFailureException.class, () -> runner.run(wrong));
            assertEquals(TorchScriptRunner.RUN_FAILED, e.runtimeCode());
            assertTrue(e.getMessage().startsWith("libtorch failed to run "), e.getMessage());
            assertFalse(e.getMessage().contains("frame #"), "no C++ backtrace: " + e.getMessage());
            assertMatchesRecorded(runner.run(cnnFeeds()));
        }
    }

    @Test
    void aFileLibtorchCannotLoadIsALoadFailure() {
        RuntimeFailureException e = assertThrows(RuntimeFailureException.class, () -> TorchScriptRunner.open(
                file("two_input_cnn.onnx"), cnnInputs(), cnnOutputs(), CONFIG));
        assertEquals(TorchScriptRunner.LOAD_FAILED, e.runtimeCode());
        assertTrue(e.getMessage().startsWith("libtorch cannot load " + file("two_input_cnn.onnx")), e.getMessage());
    }

    @Test
    void anOutputCountThatDiffersFromTheDeclaredOneIsRefused() {
        try (TorchScriptRunner runner = TorchScriptRunner.open(file("two_input_cnn.pt"), cnnInputs(),
                Map.of("logits", cnnOutputs().get("logits")), CONFIG)) {
            RuntimeFailureException e = assertThrows(RuntimeFailureException.class, () -> runner.run(cnnFeeds()));
            assertEquals(TorchScriptRunner.BAD_OUTPUTS, e.runtimeCode());
            assertTrue(e.getMessage().contains("returned 2 tensor(s)"), e.getMessage());
        }
    }

    @Test
    void printsOnTheWorkersStdoutDoNotBreakTheProtocolNorReachOursAndNonContiguousOutputsCopyCorrectly() {
        Map<String, ValueType> in = Map.of("x", new ValueType.TensorType(DataType.FLOAT, Shape.of(2, 3)));
        java.io.PrintStream realOut = System.out;
        java.io.PrintStream realErr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(captured, true);
        System.setOut(capture);
        System.setErr(capture);
        try (TorchScriptRunner runner = TorchScriptRunner.open(file("printing_transpose.pt"), in, Map.of(),
                CONFIG)) {
            for (int run = 0; run < 3; run++) {
                Tensor x = Tensor.ofFloats("x", new long[] {2, 3}, 1, 2, 3, 4, 5, 6 + run);
                Tensor y = runner.run(Map.of("x", x)).get("output_0");
                assertArrayEquals(new long[] {3, 2}, y.dims());
                assertArrayEquals(new float[] {2, 8, 4, 10, 6, 12 + 2 * run}, y.toFloatArray());
            }
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        assertEquals("", captured.toString(), "the worker's output stays in its pipes");
    }
}
