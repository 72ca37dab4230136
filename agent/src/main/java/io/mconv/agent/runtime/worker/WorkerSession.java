package io.mconv.agent.runtime.worker;

import io.mconv.agent.runtime.RuntimeCrashedException;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeLoadFailureException;
import io.mconv.ir.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side of one worker ({@link WorkerProcess}) hosting a native runtime: requests under a watchdog, and
 * the translation of a dead or silent worker into a {@link RuntimeCrashedException} that names the runtime, the
 * signal, the JVM's crash header and what the worker printed last. After a crash or timeout the session refuses
 * further requests. Requests are serialized: one worker answers one at a time.
 *
 * <p>Codes are the spec's tag in upper case followed by {@code _CRASHED}, {@code _TIMED_OUT}, {@code _LOAD_FAILED},
 * {@code _RUN_FAILED} ({@code TORCH_CRASHED}, {@code ORT_TIMED_OUT}).
 */
public final class WorkerSession implements AutoCloseable {

    private static final int TAIL_LINES = 12;

    private final WorkerSpec spec;
    private final Path file;
    private final WorkerProcess worker;
    private final ScheduledExecutorService watchdog;
    private final ByteArrayOutputStream stray = new ByteArrayOutputStream();
    private volatile boolean timedOut;
    private RuntimeFailureException dead;

    private WorkerSession(WorkerSpec spec, Path file, WorkerProcess worker) {
        this.spec = spec;
        this.file = file;
        this.worker = worker;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mconv-" + spec.tag() + "-watchdog-" + worker.pid());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the worker and waits for its first frame. On {@link WorkerWire#READY} returns the session, positioned
     * at the ready payload ({@link #replies()}); a load failure, crash or timeout closes the worker and throws.
     *
     * @param file the model file, for messages
     */
    public static WorkerSession start(WorkerSpec spec, Path file) {
        WorkerSession session = new WorkerSession(spec, file, WorkerProcess.start(spec));
        try {
            byte kind = session.exchange(null, spec.startupTimeout(), "startup");
            if (kind == WorkerWire.ERROR) {
                DataInputStream in = session.replies();
                WorkerWire.readString(in);
                // The worker's own message may already say "<runtime> cannot load <file>: "; say it once.
                String prefix = spec.runtime() + " cannot load " + file + ": ";
                String reason = WorkerWire.readString(in);
                throw new RuntimeLoadFailureException(spec.runtime(), file.toString(),
                        reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason,
                        code(spec, "LOAD_FAILED"), null);
            }
            if (kind != WorkerWire.READY) {
                throw session.protocolError("a ready message", kind, "startup");
            }
            return session;
        } catch (IOException e) {
            RuntimeFailureException f = session.died("startup", e);
            session.close();
            throw f;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private String code(String what) {
        return code(spec, what);
    }

    private static String code(WorkerSpec spec, String what) {
        return spec.tag().toUpperCase(Locale.ROOT) + "_" + what;
    }

    /** The ready payload and replies are read from here. */
    public DataInputStream replies() {
        return new DataInputStream(worker.replies());
    }

    public long pid() {
        return worker.pid();
    }

    /**
     * Sends one run and returns its outputs, positional, named {@code output_N}.
     *
     * @throws RuntimeFailureException  when the runtime refuses the run (the worker lives on)
     * @throws RuntimeCrashedException  when the worker died or did not answer within the run timeout
     */
    public synchronized List<Tensor> run(List<Tensor> inputs) {
        if (dead != null) {
            throw new RuntimeCrashedException("the " + spec.runtime() + " worker for " + file
                    + " is no longer running: " + dead.getMessage(), dead.runtimeCode(), dead);
        }
        byte kind = exchange(inputs, spec.runTimeout(), "run");
        DataInputStream in = replies();
        try {
            if (kind == WorkerWire.ERROR) {
                WorkerWire.readString(in);
                throw new RuntimeFailureException(spec.runtime() + " failed to run " + file + ": "
                        + WorkerWire.readString(in), code("RUN_FAILED"), null);
            }
            if (kind != WorkerWire.OUTPUTS) {
                throw protocolError("outputs", kind, "run");
            }
            return WorkerWire.readTensors(in, "output_");
        } catch (IOException e) {
            throw died("run", e);
        }
    }

    /**
     * Sends a run request ({@code null}: none, just wait for the startup frame) and waits for the start of the answer
     * under a watchdog that kills the worker when {@code timeout} passes. Returns the answer's frame kind.
     */
    private byte exchange(List<Tensor> request, Duration timeout, String what) {
        ScheduledFuture<?> alarm = watchdog.schedule(() -> {
            timedOut = true;
            worker.kill();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (request != null) {
                worker.requests().writeByte(WorkerWire.RUN);
                WorkerWire.writeTensors(worker.requests(), request);
                worker.requests().flush();
            }
            byte kind = WorkerWire.readFrameStart(worker.replies(), stray);
            keepStrayOutput();
            return kind;
        } catch (IOException e) {
            keepStrayOutput();
            throw died(what, e);
        } finally {
            alarm.cancel(false);
        }
    }

    private void keepStrayOutput() {
        if (stray.size() > 0) {
            new String(stray.toByteArray(), StandardCharsets.UTF_8).lines()
                    .forEach(l -> worker.tail().add(OutputTail.STDOUT_PREFIX + l));
            stray.reset();
        }
    }

    /** The worker stopped answering: a crash, a timeout kill, or a broken stream. Marks the session dead. */
    public RuntimeCrashedException died(String what, IOException cause) {
        WorkerExit exit = worker.awaitExit(5000);
        String tail = OutputTail.lastLines(worker.tail().lines(), TAIL_LINES);
        RuntimeCrashedException e;
        if (timedOut) {
            Duration limit = what.equals("run") ? spec.runTimeout() : spec.startupTimeout();
            e = new RuntimeCrashedException(spec.runtime() + " did not answer within " + seconds(limit) + " ("
                    + what + " of " + file + "); the worker was killed" + tail, code("TIMED_OUT"), cause);
        } else if (exit != null) {
            e = new RuntimeCrashedException(crashMessage(exit, what), code("CRASHED"), cause);
        } else {
            worker.kill();
            e = new RuntimeCrashedException("the " + spec.runtime() + " worker for " + file
                    + " broke the protocol during the " + what + " (" + cause.getMessage() + "); it was killed"
                    + tail, code("CRASHED"), cause);
        }
        dead = e;
        return e;
    }

    /**
     * "libtorch crashed (signal 11 (SIGSEGV) ...)": the signal from the JVM's crash header when its handler caught
     * one (it then exits with status 1 or aborts), else from the exit status; plus the crash report's path and what
     * the worker printed before.
     */
    private String crashMessage(WorkerExit exit, String what) {
        List<String> tail = worker.tail().lines();
        Optional<JvmCrashHeader> header = JvmCrashHeader.find(tail);
        if (header.isEmpty() && what.equals("startup") && !exit.bySignal()) {
            // Exited on its own before loading anything: a JVM that cannot start, not a runtime crash.
            return "the " + spec.runtime() + " worker for " + file + " could not start (" + exit.describe() + ")"
                    + OutputTail.lastLines(tail, TAIL_LINES);
        }
        if (header.isEmpty()) {
            return spec.runtime() + " crashed (" + exit.describe() + ") during the " + what + " of " + file
                    + OutputTail.lastLines(tail, TAIL_LINES);
        }
        JvmCrashHeader h = header.get();
        if (h.reportFile() != null) {
            worker.keepFolder();
        }
        return spec.runtime() + " crashed (signal " + h.number() + " (" + h.signal() + "), caught by the JVM; "
                + exit.describe() + ") during the " + what + " of " + file
                + (h.frame() == null ? "" : "; problematic frame: " + h.frame())
                + (h.reportFile() == null ? "" : "; crash report: " + h.reportFile())
                + OutputTail.lastLines(JvmCrashHeader.withoutHeader(tail), TAIL_LINES);
    }

    public RuntimeCrashedException protocolError(String expected, byte kind, String what) {
        return died(what, new IOException("expected " + expected + ", got a frame of kind " + kind));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format(Locale.ROOT, "%.1fs",
                d.toMillis() / 1000.0);
    }

    /** Stops the worker (asking first, then killing) and removes its temporary folder; never throws. */
    @Override
    public synchronized void close() {
        watchdog.shutdownNow();
        try {
            worker.close();
        } catch (UncheckedIOException e) {
            // Nothing to release beyond what close already tried.
        }
    }
}
