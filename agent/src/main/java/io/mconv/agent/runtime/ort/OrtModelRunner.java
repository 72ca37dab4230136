package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeValue;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.onnx.proto.Onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One model loaded in ONNX Runtime. Open it from an IR {@link Model} (exported to bytes, for models under 2 GiB
 * with all weights inline) or from a model file (ORT then resolves external data relative to the file, and there
 * is no 2 GiB limit). Feeds and fetches are IR tensors; see {@link OrtTensors} for the dtypes ORT Java takes.
 *
 * <p>Outputs: {@link #run} returns tensors and refuses other outputs; {@link #runValues} also returns sequences of
 * tensors ({@link RuntimeValue.SequenceValue}), maps ({@link RuntimeValue.MapValue}) and sequences of maps. Optional
 * and opaque outputs are refused, since ORT Java has no reader for them.
 *
 * <p>Failures of ORT itself (an invalid model, a missing kernel, a run-time shape error) become
 * {@link RuntimeFailureException} with ORT's message and error code. ORT allows concurrent runs on one session,
 * and so does this class.
 */
public final class OrtModelRunner implements ModelRunner {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<ExecutionProvider> providers;
    private final List<String> warnings;
    private final boolean profiling;
    private final Map<String, ValueType> inputs;
    private final Map<String, ValueType> outputs;

    private OrtModelRunner(OrtEnvironment env, OrtSession session, List<ExecutionProvider> providers,
                           List<String> warnings, boolean profiling) throws OrtException {
        this.env = env;
        this.session = session;
        this.providers = providers;
        this.warnings = warnings;
        this.profiling = profiling;
        this.inputs = java.util.Collections.unmodifiableMap(OrtTypes.toValueTypes(session.getInputInfo()));
        this.outputs = java.util.Collections.unmodifiableMap(OrtTypes.toValueTypes(session.getOutputInfo()));
    }

    /**
     * Opens an IR model by exporting it to bytes. Use {@link #open(Path, OrtSessionConfig)} for a model of 2 GiB
     * or more (protobuf cannot serialize it to one array).
     *
     * @throws ProviderUnavailableException when a requested provider is missing and fallback is off
     * @throws RuntimeFailureException      when ORT refuses the model
     */
    public static OrtModelRunner open(Model model, OrtSessionConfig config) {
        Onnx.ModelProto proto = ProtoExporter.exportModel(model);
        int size = proto.getSerializedSize();
        if (size < 0) {
            throw new IllegalArgumentException("the model is 2 GiB or more, over protobuf's limit for one array; "
                    + "write it with external data and open the file instead");
        }
        byte[] bytes = proto.toByteArray();
        return open(config, "in-memory model '" + model.graph().name() + "'",
                (env, so) -> env.createSession(bytes, so));
    }

    /** Opens a model file; external data is resolved relative to it. */
    public static OrtModelRunner open(Path modelFile, OrtSessionConfig config) {
        String path = modelFile.toAbsolutePath().toString();
        return open(config, path, (env, so) -> env.createSession(path, so));
    }

    private static OrtModelRunner open(OrtSessionConfig config, String source, OrtSessions.Opener opener) {
        return OrtSessions.open(config, source, opener, (env, session, built) -> new OrtModelRunner(env, session,
                built.providers(), built.warnings(), config.profilingFilePrefix() != null));
    }

    /** The providers registered with the session, in priority order (cpu last unless asked earlier). */
    public List<ExecutionProvider> providers() {
        return providers;
    }

    /** Provider fallbacks that happened while opening, one line each; empty when everything requested is used. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String describe() {
        return "onnxruntime " + env.getVersion() + " ("
                + providers.stream().map(ExecutionProvider::userName).collect(Collectors.joining(", ")) + ")";
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
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, RuntimeValue> e : runValues(feeds, outputNames).entrySet()) {
            if (!(e.getValue() instanceof RuntimeValue.TensorValue tv)) {
                throw new IllegalStateException("output '" + e.getKey() + "' is " + outputs.get(e.getKey())
                        + ", not a tensor; use runValues to read sequences and maps");
            }
            out.put(e.getKey(), tv.tensor());
        }
        return out;
    }

    @Override
    public Map<String, RuntimeValue> runValues(Map<String, Tensor> feeds, Collection<String> outputNames) {
        checkFeeds(feeds);
        LinkedHashSet<String> wanted = new LinkedHashSet<>(outputNames);
        for (String name : wanted) {
            if (!outputs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an output of the model; outputs: "
                        + String.join(", ", outputs.keySet()));
            }
        }
        Map<String, OnnxTensor> ortFeeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
                ortFeeds.put(e.getKey(), OrtTensors.toOrt(env, e.getKey(), e.getValue()));
            }
            try (OrtSession.Result result = session.run(ortFeeds, wanted)) {
                Map<String, RuntimeValue> out = new LinkedHashMap<>();
                for (String name : wanted) {
                    OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException(
                            "onnxruntime returned no value for output '" + name + "'"));
                    out.put(name, convert(name, v));
                }
                return out;
            }
        } catch (OrtException e) {
            throw OrtSessions.failure("onnxruntime failed to run the model", e);
        } finally {
            OnnxValue.close(ortFeeds);
        }
    }

    private void checkFeeds(Map<String, Tensor> feeds) {
        for (String name : feeds.keySet()) {
            if (!inputs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an input of the model; inputs: "
                        + String.join(", ", inputs.keySet()));
            }
        }
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
        }
    }

    private static RuntimeValue convert(String name, OnnxValue v) throws OrtException {
        if (v instanceof OnnxTensor t) {
            return new RuntimeValue.TensorValue(OrtTensors.fromOrt(name, t));
        }
        if (v instanceof OnnxSequence s) {
            // Each call of getValue() makes new OnnxValues that the caller must close.
            List<? extends OnnxValue> elements = s.getValue();
            try {
                if (s.getInfo().isSequenceOfMaps()) {
                    List<RuntimeValue.MapValue> maps = new ArrayList<>();
                    for (OnnxValue e : elements) {
                        maps.add(mapValue((OnnxMap) e));
                    }
                    return new RuntimeValue.MapSequenceValue(maps);
                }
                List<Tensor> tensors = new ArrayList<>();
                for (int i = 0; i < elements.size(); i++) {
                    tensors.add(OrtTensors.fromOrt(name + "[" + i + "]", (OnnxTensor) elements.get(i)));
                }
                return new RuntimeValue.SequenceValue(tensors);
            } finally {
                OnnxValue.close(elements);
            }
        }
        if (v instanceof OnnxMap m) {
            return mapValue(m);
        }
        throw new IllegalStateException("output '" + name + "' is an ONNX Runtime value of kind " + v.getType()
                + ", which mconv cannot read through ORT's Java API");
    }

    private static RuntimeValue.MapValue mapValue(OnnxMap m) throws OrtException {
        return new RuntimeValue.MapValue(new LinkedHashMap<>(m.getValue()));
    }

    /**
     * Ends profiling and returns the profile file ORT wrote, when the session was opened with a profiling prefix.
     */
    public Optional<Path> endProfiling() {
        if (!profiling) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(session.endProfiling()));
        } catch (OrtException e) {
            throw OrtSessions.failure("onnxruntime could not end profiling", e);
        }
    }

    @Override
    public void close() {
        OrtSessions.closeQuietly(session);
    }
}
