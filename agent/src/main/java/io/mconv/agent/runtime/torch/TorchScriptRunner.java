package io.mconv.agent.runtime.torch;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeValue;
import io.mconv.agent.runtime.UnsupportedTensorTypeException;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;

import io.mconv.agent.runtime.worker.WorkerSession;
import io.mconv.agent.runtime.worker.WorkerSpec;
import io.mconv.agent.runtime.worker.WorkerWire;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TorchScript file run by libtorch (DJL's PyTorch engine) in a worker JVM, so that a native crash or hang in
 * libtorch becomes a {@link io.mconv.agent.runtime.RuntimeCrashedException} instead of killing mconv (the worker
 * machinery is {@link WorkerSession}'s, shared with isolated ONNX Runtime). One worker serves every run of this
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

    /** The IR types {@link DjlDataTypes#toDjl} maps; checked here so the parent never loads a DJL class. */
    private static final Set<DataType> FEEDABLE = EnumSet.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16,
            DataType.BFLOAT16, DataType.INT8, DataType.UINT8, DataType.INT16, DataType.INT32, DataType.INT64,
            DataType.BOOL);

    private final Path file;
    private final TorchRunnerConfig config;
    private final Map<String, ValueType> inputs;
    private final Map<String, ValueType> outputs;
    private final WorkerSession worker;
    private String libtorchVersion;
    private String djlVersion;
    private TorchStartup startup;

    private TorchScriptRunner(Path file, Map<String, ValueType> inputs, Map<String, ValueType> outputs,
                              TorchRunnerConfig config, WorkerSession worker) {
        this.file = file;
        this.config = config;
        this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.worker = worker;
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
        WorkerSession worker = WorkerSession.start(workerSpec(file, config), file);
        TorchScriptRunner runner = new TorchScriptRunner(file, inputs, outputs, config, worker);
        try {
            runner.readReady(start);
            return runner;
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** libtorch through DJL, offline, in a worker JVM. */
    static WorkerSpec workerSpec(Path file, TorchRunnerConfig config) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("ai.djl.offline", "true");
        properties.put("ENGINE_CACHE_DIR", DjlCacheDir.resolve(config.cacheDir(), System.getProperties(),
                System.getenv()).toString());
        if (config.threads() > 0) {
            properties.put(TorchWorkerMain.THREADS_PROPERTY, Integer.toString(config.threads()));
        }
        properties.putAll(config.workerProperties());
        return new WorkerSpec("libtorch", "torch", TorchWorkerMain.class.getName(),
                List.of(file.toAbsolutePath().toString()), config.maxHeap(), config.startupTimeout(),
                config.runTimeout(), properties);
    }

    private void readReady(long startNanos) {
        DataInputStream in = worker.replies();
        try {
            libtorchVersion = WorkerWire.readString(in);
            djlVersion = WorkerWire.readString(in);
            Duration engine = Duration.ofMillis(in.readLong());
            Duration load = Duration.ofMillis(in.readLong());
            startup = new TorchStartup(Duration.ofNanos(System.nanoTime() - startNanos), engine, load);
        } catch (IOException e) {
            throw worker.died("startup", e);
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
    private Map<String, Tensor> runAll(Map<String, Tensor> feeds) {
        return name(worker.run(positionalFeeds(feeds)));
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

    /** Stops the worker (asking first, then killing) and removes its temporary folder; never throws. */
    @Override
    public void close() {
        worker.close();
    }
}
