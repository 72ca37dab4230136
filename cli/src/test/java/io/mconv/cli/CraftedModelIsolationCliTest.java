package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.ir.testing.EndlessLoopOnnx;
import io.mconv.ir.testing.Fixtures;
import io.mconv.ir.testing.Int64MinDivisionOnnx;
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
 * BAD_INPUTS 20 with real crafted models and no test hooks: files that make a native runtime run forever or die,
 * given to {@code mconv validate} (a real child process, started as the launcher starts it). mconv must exit 4 with
 * one stderr line naming the runtime, the file and what happened (the timeout, or the signal), print nothing on
 * stdout, and leave no worker process behind.
 *
 * <ul>
 *   <li>Hangs: {@link EndlessLoopOnnx} (an ONNX Loop with trip count INT64_MAX and a condition that stays true) in
 *       ONNX Runtime, isolated by {@code --isolate} or {@code MCONV_ISOLATE=1}; and {@code endless_loop.pt} (a
 *       scripted {@code while x.sum() == x.sum()} loop) in libtorch, which always runs in a worker. Both are killed
 *       after {@code --runtime-timeout}.</li>
 *   <li>Crashes: INT64_MIN / -1 traps the CPU (SIGFPE) in both runtimes: {@link Int64MinDivisionOnnx} (an int64
 *       Div) and {@code int_min_division.pt} (a floor division). Without a worker either would kill mconv.</li>
 * </ul>
 * The .pt files are in {@code testdata/torch/hostile/}, written by {@code testdata/torch/make_hostile_fixtures.py}.
 */
class CraftedModelIsolationCliTest {

    /** Kept short so the tests are quick; the hangs would last for years. */
    private static final String TIMEOUT = "3s";
    /** The whole command: JVM, worker start, 3 s of hang, kill and report, with room for a busy machine. */
    private static final long MAX_SECONDS = 60;

    @TempDir
    Path dir;

    /** What one mconv run printed, how it ended, and every process it started (seen while it ran). */
    private record Run(int exit, String out, String err, double seconds, Map<Long, String> descendants, Path tmp) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Run mconv(Map<String, String> env, String... args) throws Exception {
        // A temporary folder of its own, so the test sees everything mconv and its workers leave there.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        pb.environment().put("TMPDIR", tmp.toString()); // where native libraries put theirs
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1"); // as the launcher sets it
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        // The worker is a child of mconv: note every descendant while mconv lives, since once it has exited an
        // orphaned worker would no longer show up under it. A child first seen while still Java's jspawnhelper
        // (which then execs the worker JVM under the same pid) is noted again by what it became.
        Map<Long, String> descendants = new TreeMap<>();
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(h -> descendants.merge(h.pid(), h.info().commandLine().orElse("?"),
                    (seen, now) -> seen.equals("?") || seen.contains("jspawnhelper") ? now : seen));
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(MAX_SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("mconv " + String.join(" ", args) + " still ran after " + MAX_SECONDS + " s; stderr: "
                        + Files.readString(err));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), seconds, descendants, tmp);
    }

    /** Exit 4 after the timeout, one line saying so; see {@link #assertOneLineExit4}. */
    private static void assertTimedOut(Run r, String runtime, Path model) throws Exception {
        String line = assertOneLineExit4(r, runtime, model);
        assertTrue(line.startsWith("mconv: error: " + runtime + " did not answer within " + TIMEOUT + " (run of "),
                line);
        assertTrue(line.contains("the worker was killed"), line);
        assertTrue(r.seconds() >= 3, "not before the timeout: " + r.seconds() + " s");
        report(r, runtime + " hang", line);
    }

    /** Exit 4 naming SIGFPE and the JVM's crash report, which mconv keeps; the test removes it once checked. */
    private static void assertCrashedWithSigfpe(Run r, String runtime, Path model) throws Exception {
        String line = assertOneLineExit4(r, runtime, model);
        assertTrue(line.startsWith("mconv: error: " + runtime + " crashed (signal 8 (SIGFPE)"), line);
        assertTrue(line.contains("during the run of "), line);
        String marker = "; crash report: ";
        assertTrue(line.contains(marker), "names the JVM's crash report: " + line);
        Path report = Path.of(line.substring(line.indexOf(marker) + marker.length()).strip());
        assertTrue(Files.isRegularFile(report), "the crash report is kept: " + report);
        assertTrue(Files.readString(report).contains("SIGFPE"), report.toString());
        try (var files = Files.walk(report.getParent())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        report(r, runtime + " crash", line);
    }

    /**
     * Exit 4, nothing on stdout, one stderr line naming the runtime and the file; a worker ran and none outlived
     * mconv. Returns the line.
     */
    private static String assertOneLineExit4(Run r, String runtime, Path model) throws Exception {
        assertEquals(ExitCodes.INTERNAL, r.exit(), r.err());
        assertEquals("", r.out(), "no report for a validation that did not happen");
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.contains(runtime), line);
        assertTrue(line.contains(model.toAbsolutePath().toString()) || line.contains(model.toString()),
                "names the file: " + line);
        assertTrue(r.descendants().values().stream().anyMatch(c -> c.contains("WorkerMain")),
                "the runtime ran in a worker process: " + r.descendants());
        // A dead worker was waited for before mconv exited; give the kernel a moment anyway.
        for (long pid : r.descendants().keySet()) {
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            if (h != null) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "worker " + pid + " outlived mconv");
        }
        assertEquals(List.of(), leftovers(r.tmp(), line), "mconv left these in its temporary folder");
        return line;
    }

    /**
     * What the run left in its temporary folder, except the folder of the crash report the message names (kept on
     * purpose). The ONNX crash case starts two workers: the crash of the first ends mconv while the second is still
     * starting, and that one's folder used to stay behind.
     */
    private static List<String> leftovers(Path tmp, String line) throws Exception {
        String marker = "; crash report: ";
        Path kept = line.contains(marker)
                ? Path.of(line.substring(line.indexOf(marker) + marker.length()).strip()).getParent() : null;
        try (var entries = Files.list(tmp)) {
            return entries.filter(e -> !e.equals(kept) && !isOrtLoadersEmptyFolder(e))
                    .map(e -> e.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * ONNX Runtime's Java loader, when not pointed at installed libraries (this test runs mconv from the class path,
     * not through the launcher, which points it at them), extracts them into an onnxruntime-java* folder and asks
     * the JVM to delete the folder before its files on exit, so an empty folder stays. Anything in it is a leak.
     */
    private static boolean isOrtLoadersEmptyFolder(Path entry) throws java.io.UncheckedIOException {
        if (!entry.getFileName().toString().startsWith("onnxruntime-java") || !Files.isDirectory(entry)) {
            return false;
        }
        try (var inside = Files.list(entry)) {
            return inside.findAny().isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void report(Run r, String what, String line) {
        long workers = r.descendants().values().stream().filter(c -> c.contains("WorkerMain")).count();
        System.out.printf("%s: exit %d after %.1f s; %d child process(es) (%d worker(s)), none left: %s%n",
                what, r.exit(), r.seconds(), r.descendants().size(), workers, line);
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
        Path pt = hostileFixture("endless_loop.pt");
        Path onnx = hostileFixture("float_1x32.onnx");
        Run r = mconv(Map.of(), "validate", pt.toString(), onnx.toString(), "--runtime-timeout", TIMEOUT);
        assertTimedOut(r, "libtorch", pt);
    }

    @Test
    void anOnnxModelThatDividesInt64MinByMinusOneCrashesOnnxruntimeAndIsExit4NamingSigfpe() throws Exception {
        Path model = Int64MinDivisionOnnx.write(dir.resolve("int64_min_division.onnx"));
        Run r = mconv(Map.of("MCONV_ISOLATE", "0"), "validate", model.toString(), model.toString(), "--isolate");
        assertCrashedWithSigfpe(r, "onnxruntime", model);
    }

    @Test
    void aTorchScriptModuleThatDividesInt64MinByMinusOneCrashesLibtorchAndIsExit4NamingSigfpe() throws Exception {
        Path pt = hostileFixture("int_min_division.pt");
        Run r = mconv(Map.of(), "validate", pt.toString(), hostileFixture("float_1x32.onnx").toString());
        assertCrashedWithSigfpe(r, "libtorch", pt);
    }

    private static Path hostileFixture(String name) {
        Path p = Fixtures.testdata().resolve("torch").resolve("hostile").resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("Fixture " + p + " is missing. It is committed; regenerate it with: /usr/bin/python3 "
                    + "testdata/torch/make_hostile_fixtures.py (needs python3-torch and python3-onnx)");
        }
        return p;
    }
}
