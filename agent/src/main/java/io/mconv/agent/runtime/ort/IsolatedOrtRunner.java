package io.mconv.agent.runtime.ort;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeIsolation;
import io.mconv.agent.runtime.RuntimeValue;
import io.mconv.agent.runtime.worker.WorkerSession;
import io.mconv.agent.runtime.worker.WorkerSpec;
import io.mconv.agent.runtime.worker.WorkerWire;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model file run by ONNX Runtime in a worker JVM ({@link OrtWorkerMain}) through the same machinery as libtorch's
 * ({@link WorkerSession}): an abort or segfault inside ORT becomes a {@link io.mconv.agent.runtime.RuntimeCrashedException}
 * "onnxruntime crashed (signal 6 (SIGABRT)) ...", a hang a timeout after which the worker is killed, and mconv
 * lives on to report it. Only tensor outputs cross the pipe; sequences and maps are refused.
 */
public final class IsolatedOrtRunner implements ModelRunner {

    private final WorkerSession worker;
    private final String description;
    private final Map<String, ValueType> inputs;
    private final Map<String, ValueType> outputs;

    private IsolatedOrtRunner(WorkerSession worker, String description, Map<String, ValueType> inputs,
                              Map<String, ValueType> outputs) {
        this.worker = worker;
        this.description = description;
        this.inputs = Collections.unmodifiableMap(inputs);
        this.outputs = Collections.unmodifiableMap(outputs);
    }

    /**
     * Starts a worker and opens {@code file} in ORT there with {@code config}.
     *
     * @throws RuntimeFailureException when ORT refuses the model (code {@code ORT_LOAD_FAILED})
     * @throws io.mconv.agent.runtime.RuntimeCrashedException when the worker dies or hangs while loading it
     */
    public static IsolatedOrtRunner open(Path file, OrtSessionConfig config, RuntimeIsolation isolation) {
        Map<String, String> properties = new LinkedHashMap<>(OrtWorkerMain.properties(config));
        properties.putAll(isolation.workerProperties());
        WorkerSpec spec = new WorkerSpec("onnxruntime", "ort", OrtWorkerMain.class.getName(),
                List.of(file.toAbsolutePath().toString()), "512m", isolation.startupTimeout(), isolation.runTimeout(),
                properties);
        WorkerSession worker = WorkerSession.start(spec, file);
        try {
            DataInputStream in = worker.replies();
            String description = WorkerWire.readString(in);
            Map<String, ValueType> inputs = WorkerWire.readSignature(in);
            Map<String, ValueType> outputs = WorkerWire.readSignature(in);
            return new IsolatedOrtRunner(worker, description + ", isolated", inputs, outputs);
        } catch (IOException e) {
            RuntimeException failure = worker.died("startup", e);
            worker.close();
            throw failure;
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    /** The worker's process id (for tests that kill it). */
    public long workerPid() {
        return worker.pid();
    }

    @Override
    public String describe() {
        return description;
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
            if (!outputs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an output; outputs: "
                        + String.join(", ", outputs.keySet()));
            }
        }
        for (Map.Entry<String, ValueType> e : outputs.entrySet()) {
            if (!(e.getValue() instanceof ValueType.TensorType)) {
                throw new RuntimeFailureException("output '" + e.getKey() + "' is " + e.getValue()
                        + ", which an isolated onnxruntime cannot return (tensors only); run without --isolate",
                        "ORT_UNSUPPORTED_OUTPUT", null);
            }
        }
        List<Tensor> positional = new ArrayList<>();
        for (String name : feeds.keySet()) {
            if (!inputs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an input; inputs: "
                        + String.join(", ", inputs.keySet()));
            }
        }
        for (String name : inputs.keySet()) {
            Tensor feed = feeds.get(name);
            if (feed == null) {
                throw new IllegalArgumentException("input '" + name + "' has no feed");
            }
            positional.add(feed);
        }
        List<Tensor> results = worker.run(positional);
        List<String> names = new ArrayList<>(outputs.keySet());
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (int i = 0; i < results.size() && i < names.size(); i++) {
            all.put(names.get(i), results.get(i).withName(names.get(i)));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : outputNames) {
            out.put(name, all.get(name));
        }
        return out;
    }

    @Override
    public Map<String, RuntimeValue> runValues(Map<String, Tensor> feeds, Collection<String> outputNames) {
        Map<String, RuntimeValue> out = new LinkedHashMap<>();
        run(feeds, outputNames).forEach((name, t) -> out.put(name, new RuntimeValue.TensorValue(t)));
        return out;
    }

    @Override
    public void close() {
        worker.close();
    }
}
