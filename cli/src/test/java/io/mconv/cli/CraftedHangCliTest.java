package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.ir.testing.EndlessLoopOnnx;
import io.mconv.ir.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BAD_INPUTS 20 with real crafted models and no test hooks: files that make a native runtime run forever, given to
 * {@code mconv validate} (a real child process, started as the launcher starts it). mconv must kill the runtime's
 * worker after {@code --runtime-timeout}, exit 4 with one stderr line naming the file and the timeout, print nothing
 * on stdout, and leave no worker process behind.
 *
 * <ul>
 *   <li>ONNX Runtime: {@link EndlessLoopOnnx}, a Loop with trip count INT64_MAX and a condition that stays true,
 *       isolated by {@code --isolate} or {@code MCONV_ISOLATE=1};</li>
 *   <li>libtorch (always in a worker): {@code testdata/torch/hang/endless_loop.pt}, a scripted
 *       {@code while x.sum() == x.sum()} loop, written by {@code testdata/torch/make_hang_fixtures.py}.</li>
 * </ul>
 */
class CraftedHangCliTest {

    /** Kept short so the tests are quick; the hangs would last for years. */
    private static final String TIMEOUT = "3s";
    /** The whole command: JVM, worker start, 3 s of hang, kill and report, with room for a busy machine. */
    private static final long MAX_SECONDS = 60;

    @TempDir
    Path dir;

    /** What one mconv run printed, how it ended, and every process it started (seen while it ran). */
    private record Run(int exit, String out, String err, double seconds, Map<Long, String> descendants) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Run mconv(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        // The worker is a child of mconv: note every descendant while mconv lives, since once it has exited an
        // orphaned worker would no longer show up under it.
        Map<Long, String> descendants = new TreeMap<>();
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(h -> descendants.merge(h.pid(), h.info().commandLine().orElse("?"),
                    (seen, now) -> seen.equals("?") ? now : seen));
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(MAX_SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("mconv " + String.join(" ", args) + " still ran after " + MAX_SECONDS + " s; stderr: "
                        + Files.readString(err));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), seconds, descendants);
    }

    /** Exit 4, nothing on stdout, one stderr line naming the runtime, the timeout and the file; no process left. */
    private static void assertTimedOut(Run r, String runtime, Path model) throws Exception {
        assertEquals(ExitCodes.INTERNAL, r.exit(), r.err());
        assertEquals("", r.out(), "no report for a validation that did not happen");
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("mconv: error: " + runtime + " did not answer within " + TIMEOUT + " (run of "),
                line);
        assertTrue(line.contains(model.toAbsolutePath().toString()) || line.contains(model.toString()),
                "names the file: " + line);
        assertTrue(line.contains("the worker was killed"), line);
        assertTrue(r.descendants().values().stream().anyMatch(c -> c.contains("WorkerMain")),
                "the runtime ran in a worker process: " + r.descendants());
        // The worker was killed by the watchdog and waited for before mconv exited; give the kernel a moment anyway.
        for (long pid : r.descendants().keySet()) {
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            if (h != null) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "worker " + pid + " outlived mconv");
        }
        assertTrue(r.seconds() >= 3, "not before the timeout: " + r.seconds() + " s");
        long workers = r.descendants().values().stream().filter(c -> c.contains("WorkerMain")).count();
        System.out.printf("%s hang: exit %d after %.1f s; %d child process(es) (%d worker(s)), none left: %s%n",
                runtime, r.exit(), r.seconds(), r.descendants().size(), workers, line);
    }

    @Test
    void anOnnxModelThatLoopsForeverIsExit4AfterTheTimeoutWithIsolate() throws Exception {
        Path model = EndlessLoopOnnx.write(dir.resolve("endless_loop.onnx"));
        Run r = mconv(Map.of("MCONV_ISOLATE", "0"), "validate", model.toString(), model.toString(), "--isolate",
                "--runtime-timeout", TIMEOUT);
        assertTimedOut(r, "onnxruntime", model);
    }

    @Test
    void theEnvironmentIsolatesTheEndlessOnnxLoopToo() throws Exception {
        Path model = EndlessLoopOnnx.write(dir.resolve("endless_loop.onnx"));
        Run r = mconv(Map.of("MCONV_ISOLATE", "1"), "validate", model.toString(), model.toString(), "--json",
                "--runtime-timeout", TIMEOUT);
        assertTimedOut(r, "onnxruntime", model);
    }

    @Test
    void aTorchScriptModuleThatLoopsForeverIsExit4AfterTheTimeout() throws Exception {
        Path pt = hangFixture("endless_loop.pt");
        Path onnx = hangFixture("endless_loop_signature.onnx");
        Run r = mconv(Map.of(), "validate", pt.toString(), onnx.toString(), "--runtime-timeout", TIMEOUT);
        assertTimedOut(r, "libtorch", pt);
    }

    private static Path hangFixture(String name) {
        Path p = Fixtures.testdata().resolve("torch").resolve("hang").resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("Fixture " + p + " is missing. It is committed; regenerate it with: /usr/bin/python3 "
                    + "testdata/torch/make_hang_fixtures.py (needs python3-torch and python3-onnx)");
        }
        return p;
    }
}
