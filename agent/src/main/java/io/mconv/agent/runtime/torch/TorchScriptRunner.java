package io.mconv.agent.runtime.torch;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeValue;
import io.mconv.agent.runtime.UnsupportedTensorTypeException;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TorchScript file run by libtorch (DJL's PyTorch engine) in a worker JVM, so that a native crash or hang in
 * libtorch becomes a {@link RuntimeFailureException} instead of killing mconv. One worker serves every run of this
 * runner; {@link #close()} stops it.
 *
 * <p>A TorchScript module has positional inputs and returns a tensor or a (nested) tuple or list of them, with no
 * names. The runner is therefore given the names and types to expose, usually those of the ONNX model it is compared
 * with: feeds are passed in the order of {@code inputs}, and the flattened outputs are named in the order of
 * {@code outputs} (a different count is a failure).
 *
 * <p>Failures: the model cannot be loaded ({@link #LOAD_FAILED}), libtorch refuses a run ({@link #RUN_FAILED}, the
 * worker lives on), the worker died ({@link #CRASHED}: "libtorch crashed (signal N)") or did not answer in time
 * ({@link #TIMED_OUT}, it is killed). After a crash or timeout the runner refuses further runs.
 * Runs are serialized: one worker answers one request at a time.
 */
public final class TorchScriptRunner implements ModelRunner {

    /** {@link RuntimeFailureException#runtimeCode()}s of this runner. */
    public static final String LOAD_FAILED = "TORCH_LOAD_FAILED";
    public static final String RUN_FAILED = "TORCH_RUN_FAILED";
    public static final String CRASHED = "TORCH_CRASHED";
    public static final String TIMED_OUT = "TORCH_TIMED_OUT";
    public static final String BAD_OUTPUTS = "TORCH_BAD_OUTPUTS";

    private static final int TAIL_LINES = 12;
    /** The IR types {@link DjlDataTypes#toDjl} maps; checked here so the parent never loads a DJL class. */
    private static final Set<DataType> FEEDABLE = EnumSet.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16,
            DataType.BFLOAT16, DataType.INT8, DataType.UINT8, DataType.INT16, DataType.INT32, DataType.INT64,
            DataType.BOOL);

    private final Path file;
    private final TorchRunnerConfig config;
    private final Map<String, ValueType> inputs;
    private final Map<String, ValueType> outputs;
    private final TorchWorkerProcess worker;
    private final ScheduledExecutorService watchdog;
    private final ByteArrayOutputStream stray = new ByteArrayOutputStream();
    private volatile boolean timedOut;
    private String libtorchVersion;
    private String djlVersion;
    private TorchStartup startup;
    private RuntimeFailureException dead;

    private TorchScriptRunner(Path file, Map<String, ValueType> inputs, Map<String, ValueType> outputs,
                              TorchRunnerConfig config, TorchWorkerProcess worker) {
        this.file = file;
        this.config = config;
        this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.worker = worker;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mconv-torch-watchdog-" + worker.pid());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a worker and loads {@code file} in it.
     *
     * @param inputs  the names and types to expose, in the module's positional order
     * @param outputs the names to give the flattened outputs, in order; empty to name them {@code output_N}
     * @throws TorchRuntimeUnavailableException when the DJL/libtorch jars are not on the class path
     * @throws RuntimeFailureException          when libtorch cannot load the file, or the worker dies or hangs
     */
    public static TorchScriptRunner open(Path file, Map<String, ValueType> inputs, Map<String, ValueType> outputs,
                                         TorchRunnerConfig config) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // IR tensors are little-endian and libtorch reads native order; DJL ships for no big-endian platform.
            throw new UnsupportedOperationException("libtorch on a big-endian platform is not supported");
        }
        LibtorchAvailability.require();
        long start = System.nanoTime();
        TorchWorkerProcess worker = TorchWorkerProcess.start(file, config);
        TorchScriptRunner runner = new TorchScriptRunner(file, inputs, outputs, config, worker);
        try {
            runner.awaitReady(start);
            return runner;
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    private void awaitReady(long startNanos) {
        byte kind = exchange(null, config.startupTimeout(), "startup");
        DataInputStream in = new DataInputStream(worker.replies());
        try {
            if (kind == TorchWire.ERROR) {
                TorchWire.readString(in);
                throw new RuntimeFailureException("libtorch cannot load " + file + ": " + TorchWire.readString(in),
                        LOAD_FAILED, null);
            }
            if (kind != TorchWire.READY) {
                throw protocolError("a ready message", kind);
            }
            libtorchVersion = TorchWire.readString(in);
            djlVersion = TorchWire.readString(in);
            Duration engine = Duration.ofMillis(in.readLong());
            Duration load = Duration.ofMillis(in.readLong());
            startup = new TorchStartup(Duration.ofNanos(System.nanoTime() - startNanos), engine, load);
        } catch (IOException e) {
            throw died("startup", e);
        }
    }

    /** What starting the worker and loading the model cost. */
    public TorchStartup startup() {
        return startup;
    }

    /** The worker's process id (for diagnostics, and for tests that kill it). */
    public long workerPid() {
        return worker.pid();
    }

    @Override
    public String describe() {
        return "libtorch " + libtorchVersion + " (DJL " + djlVersion + ", cpu)";
    }

    @Override
    public Map<String, ValueType> inputs() {
        return inputs;
    }

    @Override
    public Map<String, ValueType> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds, Collection<String> outputNames) {
        for (String name : outputNames) {
            if (!outputs.isEmpty() && !outputs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an output; outputs: "
                        + String.join(", ", outputs.keySet()));
            }
        }
        Map<String, Tensor> all = runAll(feeds);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : outputNames) {
            Tensor t = all.get(name);
            if (t == null) {
                throw new IllegalArgumentException("'" + name + "' is not an output; the module returned "
                        + String.join(", ", all.keySet()));
            }
            out.put(name, t);
        }
        return out;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return runAll(feeds);
    }

    @Override
    public Map<String, RuntimeValue> runValues(Map<String, Tensor> feeds, Collection<String> outputNames) {
        Map<String, RuntimeValue> out = new LinkedHashMap<>();
        run(feeds, outputNames).forEach((name, t) -> out.put(name, new RuntimeValue.TensorValue(t)));
        return out;
    }

    /** Every flattened output, named after {@link #outputs()} (or {@code output_N} when none were given). */
    private synchronized Map<String, Tensor> runAll(Map<String, Tensor> feeds) {
        List<Tensor> positional = positionalFeeds(feeds);
        if (dead != null) {
            throw new RuntimeFailureException("the libtorch worker for " + file + " is no longer running: "
                    + dead.getMessage(), dead.runtimeCode(), dead);
        }
        byte kind = exchange(positional, config.runTimeout(), "run");
        DataInputStream in = new DataInputStream(worker.replies());
        List<Tensor> results;
        try {
            if (kind == TorchWire.ERROR) {
                TorchWire.readString(in);
                throw new RuntimeFailureException("libtorch failed to run " + file + ": " + TorchWire.readString(in),
                        RUN_FAILED, null);
            }
            if (kind != TorchWire.OUTPUTS) {
                throw protocolError("outputs", kind);
            }
            results = TorchWire.readTensors(in, "output_");
        } catch (IOException e) {
            throw died("run", e);
        }
        return name(results);
    }

    private List<Tensor> positionalFeeds(Map<String, Tensor> feeds) {
        for (String name : feeds.keySet()) {
            if (!inputs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an input; inputs: "
                        + String.join(", ", inputs.keySet()));
            }
        }
        List<Tensor> positional = new ArrayList<>();
        for (Map.Entry<String, ValueType> e : inputs.entrySet()) {
            Tensor feed = feeds.get(e.getKey());
            if (feed == null) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' (" + e.getValue() + ") has no feed");
            }
            if (e.getValue() instanceof ValueType.TensorType tt && tt.elemType() != null
                    && tt.elemType() != feed.dataType()) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' is " + tt + " but the feed is "
                        + feed.dataType());
            }
            if (!FEEDABLE.contains(feed.dataType())) {
                throw new UnsupportedTensorTypeException(e.getKey(), feed.dataType(),
                        "libtorch has no tensor type for (it takes float16/32/64, bfloat16, int8/16/32/64, uint8, bool)");
            }
            positional.add(feed);
        }
        return positional;
    }

    private Map<String, Tensor> name(List<Tensor> results) {
        if (!outputs.isEmpty() && results.size() != outputs.size()) {
            throw new RuntimeFailureException(file + " returned " + results.size() + " tensor(s) (tuples and lists "
                    + "flattened) but " + outputs.size() + " output(s) are expected: "
                    + String.join(", ", outputs.keySet()), BAD_OUTPUTS, null);
        }
        List<String> names = outputs.isEmpty() ? null : new ArrayList<>(outputs.keySet());
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            String name = names == null ? "output_" + i : names.get(i);
            named.put(name, results.get(i).withName(name));
        }
        return named;
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
                worker.requests().writeByte(TorchWire.RUN);
                TorchWire.writeTensors(worker.requests(), request);
                worker.requests().flush();
            }
            byte kind = TorchWire.readFrameStart(worker.replies(), stray);
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

    /** The worker stopped answering: a crash, a timeout kill, or a broken stream. Marks the runner dead. */
    private RuntimeFailureException died(String what, IOException cause) {
        WorkerExit exit = worker.awaitExit(5000);
        String tail = OutputTail.lastLines(worker.tail().lines(), TAIL_LINES);
        RuntimeFailureException e;
        if (timedOut) {
            Duration limit = what.equals("run") ? config.runTimeout() : config.startupTimeout();
            e = new RuntimeFailureException("libtorch did not answer within " + seconds(limit) + " (" + what + " of "
                    + file + "); the worker was killed" + tail, TIMED_OUT, cause);
        } else if (exit != null) {
            e = new RuntimeFailureException(crashMessage(exit, what), CRASHED, cause);
        } else {
            worker.kill();
            e = new RuntimeFailureException("the libtorch worker for " + file + " broke the protocol during the "
                    + what + " (" + cause.getMessage() + "); it was killed" + tail, CRASHED, cause);
        }
        dead = e;
        return e;
    }

    /**
     * "libtorch crashed (signal 11 (SIGSEGV) ...)": the signal from the JVM's crash header when its handler caught
     * one (it then exits with status 1), else from the exit status; plus the crash report's path and what the worker
     * printed before.
     */
    private String crashMessage(WorkerExit exit, String what) {
        List<String> tail = worker.tail().lines();
        Optional<JvmCrashHeader> header = JvmCrashHeader.find(tail);
        if (header.isEmpty() && what.equals("startup") && !exit.bySignal()) {
            // Exited on its own before loading anything: a JVM that cannot start, not a libtorch crash.
            return "the libtorch worker for " + file + " could not start (" + exit.describe() + ")"
                    + OutputTail.lastLines(tail, TAIL_LINES);
        }
        if (header.isEmpty()) {
            return "libtorch crashed (" + exit.describe() + ") during the " + what + " of " + file
                    + OutputTail.lastLines(tail, TAIL_LINES);
        }
        JvmCrashHeader h = header.get();
        if (h.reportFile() != null) {
            worker.keepFolder();
        }
        return "libtorch crashed (signal " + h.number() + " (" + h.signal() + "), caught by the JVM; "
                + exit.describe() + ") during the " + what + " of " + file
                + (h.frame() == null ? "" : "; problematic frame: " + h.frame())
                + (h.reportFile() == null ? "" : "; crash report: " + h.reportFile())
                + OutputTail.lastLines(JvmCrashHeader.withoutHeader(tail), TAIL_LINES);
    }

    private RuntimeFailureException protocolError(String expected, byte kind) {
        return died("run", new IOException("expected " + expected
                + ", got a frame of kind " + kind));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format(java.util.Locale.ROOT, "%.1fs",
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
