package io.mconv.agent.runtime.ort;

import io.mconv.agent.runtime.worker.WorkerServer;
import io.mconv.agent.runtime.worker.WorkerWire;
import io.mconv.ir.Tensor;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker process of {@link IsolatedOrtRunner}: opens one model file in ONNX Runtime and answers run requests
 * ({@link WorkerServer}), so that an abort, segfault or hang inside ORT's native code costs this process, not mconv.
 * Inputs arrive positional in the model's input order; outputs go back in its output order. Ready payload: STRING
 * description ({@code onnxruntime 1.x (cpu)}), SIGNATURE inputs, SIGNATURE outputs.
 *
 * <p>Usage (by the runner only): {@code java -Dmconv.ort.worker.providers=cpu ... OrtWorkerMain MODEL.onnx}.
 */
public final class OrtWorkerMain {

    static final String PROVIDERS = "mconv.ort.worker.providers";
    static final String FALLBACK = "mconv.ort.worker.fallback";
    static final String OPTIMIZATION = "mconv.ort.worker.optimization";
    static final String INTRA_THREADS = "mconv.ort.worker.intraOpThreads";

    private OrtWorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        WorkerServer.main(args, OrtWorkerMain::load, OrtWorkerMain::summarize);
    }

    /** The session settings the parent chose, as system properties of the worker. */
    static Map<String, String> properties(OrtSessionConfig config) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PROVIDERS, String.join(",", config.providers().stream().map(ExecutionProvider::userName).toList()));
        p.put(FALLBACK, Boolean.toString(config.allowFallback()));
        p.put(OPTIMIZATION, config.optimizationLevel().name());
        p.put(INTRA_THREADS, Integer.toString(config.intraOpThreads()));
        return p;
    }

    private static OrtSessionConfig config() {
        return OrtSessionConfig.defaults()
                .withProviders(ExecutionProvider.parseList(System.getProperty(PROVIDERS, "cpu")),
                        Boolean.getBoolean(FALLBACK))
                .withOptimizationLevel(GraphOptimizationLevel.valueOf(System.getProperty(OPTIMIZATION, "NONE")))
                .withIntraOpThreads(Integer.getInteger(INTRA_THREADS, 1));
    }

    private static WorkerServer.Backend load(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: OrtWorkerMain MODEL.onnx");
        }
        OrtModelRunner runner = OrtModelRunner.open(Path.of(args[0]), config());
        List<String> inputNames = new ArrayList<>(runner.inputs().keySet());
        return new WorkerServer.Backend() {
            @Override
            public void writeReady(DataOutputStream out) throws IOException {
                WorkerWire.writeString(out, runner.describe());
                WorkerWire.writeSignature(out, runner.inputs());
                WorkerWire.writeSignature(out, runner.outputs());
            }

            @Override
            public List<Tensor> run(List<Tensor> inputs) {
                if (inputs.size() != inputNames.size()) {
                    throw new IllegalArgumentException(inputs.size() + " feeds for " + inputNames.size() + " inputs");
                }
                Map<String, Tensor> feeds = new LinkedHashMap<>();
                for (int i = 0; i < inputs.size(); i++) {
                    feeds.put(inputNames.get(i), inputs.get(i).withName(inputNames.get(i)));
                }
                return new ArrayList<>(runner.run(feeds).values());
            }

            @Override
            public void close() {
                runner.close();
            }
        };
    }

    private static String summarize(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 1500 ? m.substring(0, 1500) + " [...]" : m;
    }
}
