package io.mconv.agent.runtime.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeCrashedException;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeIsolation;
import io.mconv.agent.runtime.worker.WorkerTestHook;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Tensor;
import io.mconv.ir.testing.EndlessLoopOnnx;
import io.mconv.ir.testing.Fixtures;
import io.mconv.ir.testing.Int64MinDivisionOnnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime in a worker JVM (BAD_INPUTS 20): same numbers as in-process; an abort, a kill or a hang inside the
 * worker is a {@link RuntimeCrashedException} naming onnxruntime and the signal, while this JVM lives on.
 *
 * <p>Real crafted models produce a hang ({@link EndlessLoopOnnx}: a Loop of INT64_MAX iterations) and a crash
 * ({@link Int64MinDivisionOnnx}: INT64_MIN / -1 traps with SIGFPE). The worker's test hook ({@link WorkerTestHook}:
 * the worker raises SIGABRT in itself, or sleeps, before a run) covers SIGABRT, which no model known to us raises.
 */
class IsolatedOrtRunnerTest {

    private static final OrtSessionConfig CONFIG = OrtSessionConfig.forValidation();

    @TempDir
    Path dir;

    private static Map<String, Tensor> feeds(ModelRunner r) {
        return new RandomInputs(3).generate(r.inputs(), Map.of());
    }

    @Test
    void isolatedRunsGiveTheSameSignatureAndBitsAsInProcess() {
        Path model = Fixtures.generated("tiny_cnn.onnx");
        try (OrtModelRunner local = OrtModelRunner.open(model, CONFIG);
             IsolatedOrtRunner isolated = IsolatedOrtRunner.open(model, CONFIG,
                     RuntimeIsolation.isolated(Duration.ofMinutes(2)))) {
            assertEquals(local.inputs(), isolated.inputs());
            assertEquals(local.outputs(), isolated.outputs());
            assertTrue(isolated.describe().startsWith(local.describe()), isolated.describe());
            assertTrue(isolated.describe().endsWith(", isolated"));
            assertFalse(ProcessHandle.current().pid() == isolated.workerPid());
            Map<String, Tensor> feeds = feeds(local);
            for (int run = 0; run < 2; run++) {
                Map<String, Tensor> want = local.run(feeds);
                Map<String, Tensor> got = isolated.run(feeds);
                assertEquals(want.keySet(), got.keySet());
                for (String name : want.keySet()) {
                    assertArrayEquals(want.get(name).dims(), got.get(name).dims());
                    assertArrayEquals(want.get(name).toFloatArray(), got.get(name).toFloatArray(), 0f,
                            "one thread, optimizations off: bit-identical in both processes");
                }
            }
        }
    }

    @Test
    void anAbortInsideTheWorkerIsACrashNamingOnnxruntimeAndTheSignal() {
        Path model = Fixtures.generated("tiny_cnn.onnx");
        RuntimeIsolation aborting = RuntimeIsolation.isolated(Duration.ofMinutes(2))
                .withWorkerProperty(WorkerTestHook.PROPERTY, "abort-on-run");
        try (IsolatedOrtRunner isolated = IsolatedOrtRunner.open(model, CONFIG, aborting)) {
            Map<String, Tensor> feeds = feeds(isolated);
            RuntimeCrashedException e = assertThrows(RuntimeCrashedException.class, () -> isolated.run(feeds));
            assertTrue(e.getMessage().startsWith("onnxruntime crashed (signal 6 (SIGABRT)) during the run of "
                    + model.toAbsolutePath()), e.getMessage());
            assertEquals("ORT_CRASHED", e.runtimeCode());
            RuntimeCrashedException again = assertThrows(RuntimeCrashedException.class, () -> isolated.run(feeds));
            assertTrue(again.getMessage().contains("is no longer running"), again.getMessage());
        }
    }

    @Test
    void aWorkerKilledFromOutsideIsACrashWithSigkill() throws Exception {
        Path model = Fixtures.generated("tiny_cnn.onnx");
        try (IsolatedOrtRunner isolated = IsolatedOrtRunner.open(model, CONFIG,
                RuntimeIsolation.isolated(Duration.ofMinutes(2)))) {
            ProcessHandle worker = ProcessHandle.of(isolated.workerPid()).orElseThrow();
            worker.destroyForcibly();
            worker.onExit().get();
            RuntimeCrashedException e = assertThrows(RuntimeCrashedException.class,
                    () -> isolated.run(feeds(isolated)));
            assertTrue(e.getMessage().startsWith("onnxruntime crashed (signal 9 (SIGKILL))"), e.getMessage());
        }
    }

    @Test
    void aHangingRunIsKilledAfterTheTimeout() {
        Path model = Fixtures.generated("tiny_cnn.onnx");
        RuntimeIsolation hanging = RuntimeIsolation.isolated(Duration.ofSeconds(20))
                .withWorkerProperty(WorkerTestHook.PROPERTY, "sleep-on-run:600000");
        try (IsolatedOrtRunner isolated = IsolatedOrtRunner.open(model, CONFIG, hanging)) {
            Map<String, Tensor> feeds = feeds(isolated);
            long t0 = System.nanoTime();
            RuntimeCrashedException e = assertThrows(RuntimeCrashedException.class, () -> isolated.run(feeds));
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertTrue(seconds >= 19 && seconds < 60, "killed after the 20 s timeout, not before: " + seconds);
            assertEquals("ORT_TIMED_OUT", e.runtimeCode());
            assertTrue(e.getMessage().startsWith("onnxruntime did not answer within 20s (run of "), e.getMessage());
        }
    }

    @Test
    void aCraftedModelThatLoopsForeverIsKilledAfterTheTimeoutAndTheWorkerIsGone() throws Exception {
        Path model = EndlessLoopOnnx.write(dir.resolve("endless_loop.onnx"));
        try (IsolatedOrtRunner isolated = IsolatedOrtRunner.open(model, CONFIG,
                RuntimeIsolation.isolated(Duration.ofSeconds(3)))) {
            ProcessHandle worker = ProcessHandle.of(isolated.workerPid()).orElseThrow();
            Map<String, Tensor> feeds = feeds(isolated);
            long t0 = System.nanoTime();
            RuntimeCrashedException e = assertThrows(RuntimeCrashedException.class, () -> isolated.run(feeds));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds >= 3 && seconds < 30, "killed after the 3 s timeout, not before: " + seconds);
            assertEquals("ORT_TIMED_OUT", e.runtimeCode());
            assertEquals("onnxruntime did not answer within 3s (run of " + model.toAbsolutePath()
                    + "); the worker was killed", e.getMessage());
            assertFalse(worker.isAlive(), "the watchdog's kill was waited for");
        }
    }

    @Test
    void aCraftedInt64MinDivisionCrashesOrtWithSigfpeAndThisJvmLivesOn() throws Exception {
        Path model = Int64MinDivisionOnnx.write(dir.resolve("int64_min_division.onnx"));
        try (IsolatedOrtRunner isolated = IsolatedOrtRunner.open(model, CONFIG,
                RuntimeIsolation.isolated(Duration.ofMinutes(2)))) {
            ProcessHandle worker = ProcessHandle.of(isolated.workerPid()).orElseThrow();
            RuntimeCrashedException e = assertThrows(RuntimeCrashedException.class,
                    () -> isolated.run(feeds(isolated)));
            assertEquals("ORT_CRASHED", e.runtimeCode());
            assertTrue(e.getMessage().startsWith("onnxruntime crashed (signal 8 (SIGFPE), caught by the JVM; "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("during the run of " + model.toAbsolutePath()), e.getMessage());
            assertFalse(worker.isAlive());
            String marker = "; crash report: ";
            Path report = Path.of(e.getMessage().substring(e.getMessage().indexOf(marker) + marker.length())
                    .split("[;\n]")[0]);
            assertTrue(Files.readString(report).contains("SIGFPE"), report.toString());
            try (var files = Files.walk(report.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * A killed worker leaves nothing in the temporary folder: it runs in a private folder that is also its
     * {@code java.io.tmpdir}, so what ONNX Runtime's loader extracts there (28 MB of native libraries, when this JVM
     * was not pointed at installed ones) goes with the folder. They used to land in /tmp, and stay there.
     */
    @Test
    void aKilledWorkerLeavesNoTemporaryFilesBehind() throws Exception {
        Path model = EndlessLoopOnnx.write(dir.resolve("endless_loop.onnx"));
        Path workDir;
        try (IsolatedOrtRunner isolated = IsolatedOrtRunner.open(model, CONFIG,
                RuntimeIsolation.isolated(Duration.ofSeconds(3)))) {
            workDir = Files.readSymbolicLink(Path.of("/proc", Long.toString(isolated.workerPid()), "cwd"));
            assertTrue(workDir.getFileName().toString().startsWith("mconv-ort-"), workDir.toString());
            java.util.List<String> environ = java.util.Arrays.asList(new String(Files.readAllBytes(Path.of("/proc",
                    Long.toString(isolated.workerPid()), "environ")), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\0"));
            assertTrue(environ.contains("TMPDIR=" + workDir), "native libraries' temporary files go there too");
            assertTrue(environ.contains("ORT_DISABLE_TELEMETRY=1") || System.getenv("ORT_DISABLE_TELEMETRY") != null,
                    "ONNX Runtime's telemetry client is off in the worker");
            try (var entries = Files.list(workDir)) {
                assertEquals(java.util.List.of(), entries.map(e -> e.getFileName().toString())
                        .filter(n -> n.startsWith("mat-debug-") || n.equals(".ses")).toList(),
                        "no telemetry files");
            }
            if (System.getProperty("onnxruntime.native.path") == null) {
                try (var entries = Files.list(workDir)) {
                    assertTrue(entries.anyMatch(e -> e.getFileName().toString().startsWith("onnxruntime-java")),
                            "ONNX Runtime extracted its libraries into the worker's own folder: " + workDir);
                }
            }
            Map<String, Tensor> feeds = feeds(isolated);
            RuntimeCrashedException e = assertThrows(RuntimeCrashedException.class, () -> isolated.run(feeds));
            assertEquals("ORT_TIMED_OUT", e.runtimeCode());
        }
        assertFalse(Files.exists(workDir), "the killed worker's folder is gone: " + workDir);
    }

    @Test
    void aModelOrtRefusesIsALoadFailureNotACrash() throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "this is not protobuf at all");
        RuntimeFailureException e = assertThrows(RuntimeFailureException.class, () -> IsolatedOrtRunner.open(bad,
                CONFIG, RuntimeIsolation.isolated(Duration.ofMinutes(2))));
        assertFalse(e instanceof RuntimeCrashedException, e.getMessage());
        assertEquals("ORT_LOAD_FAILED", e.runtimeCode());
        assertTrue(e.getMessage().startsWith("onnxruntime cannot load " + bad), e.getMessage());
    }
}
