package io.mconv.agent.runtime.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One worker JVM for one model: how it is started, its pipes, its stderr tail, and how it is stopped. The worker
 * runs {@link WorkerSpec#mainClass()} in the same {@code java} with the same class path as mconv, offline, with a
 * bounded heap, in a private temporary folder that also receives the JVM's crash report instead of the user's
 * working folder. Native runtimes (libtorch, ONNX Runtime) run in such workers so that their segfaults, aborts and
 * hangs cost the worker, never mconv.
 */
public final class WorkerProcess implements AutoCloseable {

    /** ONNX Runtime's Java binding loads its native libraries from this folder when the property is set. */
    static final String ORT_NATIVE_PATH = "onnxruntime.native.path";
    /** ONNX Runtime 1.29 starts no telemetry client when this environment variable is 1. */
    static final String ORT_DISABLE_TELEMETRY = "ORT_DISABLE_TELEMETRY";

    private final Process process;
    private final Path workDir;
    private final DataOutputStream requests;
    private final InputStream replies;
    private final OutputTail tail;
    private volatile boolean keepFolder;
    /**
     * Stops the worker and removes its folder when mconv exits without closing it: an error thrown past a worker
     * still starting in the background (validation opens its reference runtime while the candidate runs) reaches
     * {@code System.exit} first, which would leave the worker's empty folder in the temporary folder.
     */
    private final Thread cleanupOnExit;

    private WorkerProcess(Process process, Path workDir, String runtimeTag) {
        this.process = process;
        this.workDir = workDir;
        this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.replies = new BufferedInputStream(process.getInputStream(), 1 << 16);
        this.tail = OutputTail.follow(process.getErrorStream(),
                "mconv-" + runtimeTag + "-worker-" + process.pid() + "-stderr");
        this.cleanupOnExit = new Thread(this::killAndRemoveFolder, "mconv-" + runtimeTag + "-worker-cleanup");
    }

    /** Registers the exit clean-up; if mconv is already exiting, cleans up at once and says so. */
    private WorkerProcess watchForExit() {
        try {
            Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        } catch (IllegalStateException exiting) {
            killAndRemoveFolder();
            throw new IllegalStateException("mconv is exiting; the worker was stopped", exiting);
        }
        return this;
    }

    public static WorkerProcess start(WorkerSpec spec) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("mconv-" + spec.tag() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the " + spec.runtime() + " worker", e);
        }
        List<String> command = command(spec, workDir, System.getProperty(ORT_NATIVE_PATH));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            // Native libraries find the temporary folder through TMPDIR, not java.io.tmpdir.
            builder.environment().put("TMPDIR", workDir.toString());
            // ONNX Runtime's telemetry client (see OrtEnvironments) stays off in workers, as the launcher sets it.
            builder.environment().putIfAbsent(ORT_DISABLE_TELEMETRY, "1");
            Process p = builder.start();
            return new WorkerProcess(p, workDir, spec.tag()).watchForExit();
        } catch (IOException e) {
            deleteQuietly(workDir);
            throw new UncheckedIOException("cannot start the " + spec.runtime() + " worker (" + command.get(0) + ")",
                    e);
        }
    }

    /** @param ortNatives where mconv's ONNX Runtime loaded its native libraries from, or null (it extracted them) */
    static List<String> command(WorkerSpec spec, Path workDir, String ortNatives) {
        List<String> c = new ArrayList<>();
        c.add(javaExecutable());
        c.add("-Xmx" + spec.maxHeap());
        // Startup dominates a worker's life; the worker's Java code only copies bytes, so C1 and SerialGC suffice.
        c.add("-XX:+UseSerialGC");
        c.add("-XX:TieredStopAtLevel=1");
        // A native crash: the JVM's report goes to stderr (we keep its tail) and a file in the private folder,
        // never to stdout (the protocol) or the user's folder; no core file of a multi-GB process.
        c.add("-XX:+DisplayVMOutputToStderr");
        c.add("-XX:ErrorFile=" + workDir.resolve("hs_err_pid%p.log"));
        c.add("-XX:-CreateCoredumpOnCrash");
        // slf4j has no provider in mconv; its three-line warning would only crowd the stderr tail.
        c.add("-Dslf4j.internal.verbosity=ERROR");
        // What the worker's libraries put in the temporary folder (ONNX Runtime extracts its 28 MB of native
        // libraries there unless told where they are) lands in the private folder, removed with the worker even
        // when it was killed; in /tmp a killed worker left them behind.
        c.add("-Djava.io.tmpdir=" + workDir);
        Map<String, String> properties = new java.util.LinkedHashMap<>(spec.systemProperties());
        // The installed launcher points ONNX Runtime at libraries unpacked once; the worker uses them too.
        if (ortNatives != null) {
            properties.putIfAbsent(ORT_NATIVE_PATH, ortNatives);
        }
        // A test hook given to mconv's own JVM (tests of the launcher) reaches the worker, which alone acts on it.
        String hook = System.getProperty(WorkerTestHook.PROPERTY);
        if (hook != null) {
            properties.putIfAbsent(WorkerTestHook.PROPERTY, hook);
        }
        for (Map.Entry<String, String> e : properties.entrySet()) {
            c.add("-D" + e.getKey() + "=" + e.getValue());
        }
        c.add("-cp");
        c.add(absoluteClassPath(System.getProperty("java.class.path")));
        c.add(spec.mainClass());
        c.addAll(spec.args());
        return c;
    }

    /** The worker runs in its own folder, so relative class path entries ({@code java -cp lib/*}) are resolved here. */
    public static String absoluteClassPath(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> e.endsWith("*") ? Path.of(e.substring(0, e.length() - 1)).toAbsolutePath() + File.separator
                        + "*" : Path.of(e).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The {@code java} running mconv, so the worker gets the same JDK (and finds the same class path). */
    private static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    public long pid() {
        return process.pid();
    }

    public DataOutputStream requests() {
        return requests;
    }

    public InputStream replies() {
        return replies;
    }

    public OutputTail tail() {
        return tail;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the worker at once (SIGKILL): used on timeouts, where a polite request would not be read. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for a dying worker to end and says how it ended; null if it is still running after the wait. */
    public WorkerExit awaitExit(long millis) {
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        tail.awaitEnd(1000);
        return new WorkerExit(process.exitValue());
    }

    /** Leaves the private folder in place on close: it holds a crash report an error message points to. */
    public void keepFolder() {
        keepFolder = true;
    }

    /** Asks the worker to quit, then kills it if it has not within a second; removes its folder (unless it holds a crash report). */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                requests.writeByte(WorkerWire.QUIT);
                requests.flush();
            } catch (IOException e) {
                // The worker already closed its stdin: it is exiting anyway.
            }
            if (awaitExit(1000) == null) {
                process.destroyForcibly();
                awaitExit(5000);
            }
        }
        closeQuietly(requests);
        closeQuietly(replies);
        if (!keepFolder) {
            deleteQuietly(workDir);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException exiting) {
            // The hook is running or about to: it finds the worker stopped and the folder gone.
        }
    }

    /** The exit clean-up: no polite quit (mconv is going), a kill, a short wait for the process, the folder. */
    private void killAndRemoveFolder() {
        process.destroyForcibly();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!keepFolder) {
            deleteQuietly(workDir);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // The pipe's other end is gone; there is nothing left to release.
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary folder is harmless; failing a close over it would not be.
        }
    }
}
