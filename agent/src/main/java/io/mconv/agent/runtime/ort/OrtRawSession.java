package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX Runtime session handed out as ORT's own {@link OrtSession}, for the one caller that must drive ORT
 * directly: the profiler's timing loop, which feeds the same preallocated {@link OnnxTensor}s every iteration and
 * must not pay {@link OrtModelRunner}'s per-run conversions to and from IR tensors. Provider selection, CPU
 * fallback warnings and session options are the same as {@link OrtModelRunner}'s.
 */
public final class OrtRawSession implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<ExecutionProvider> providers;
    private final List<String> warnings;
    private final boolean profiling;
    private final Map<String, ValueType> inputs;

    private OrtRawSession(OrtEnvironment env, OrtSession session, OrtSessionOptionsFactory.Built built,
                          boolean profiling) throws OrtException {
        this.env = env;
        this.session = session;
        this.providers = built.providers();
        this.warnings = built.warnings();
        this.profiling = profiling;
        this.inputs = Collections.unmodifiableMap(OrtTypes.toValueTypes(session.getInputInfo()));
    }

    /**
     * Opens a model file (external data resolved relative to it).
     *
     * @throws ProviderUnavailableException when a requested provider is missing and fallback is off
     * @throws RuntimeFailureException      when ORT refuses the options or the model
     */
    public static OrtRawSession open(Path modelFile, OrtSessionConfig config) {
        String path = modelFile.toAbsolutePath().toString();
        return OrtSessions.open(config, path, (env, so) -> env.createSession(path, so),
                (env, session, built) -> new OrtRawSession(env, session, built, config.profilingFilePrefix() != null));
    }

    public OrtSession session() {
        return session;
    }

    /** The ONNX Runtime version loaded in this process. */
    public String ortVersion() {
        return env.getVersion();
    }

    /** The graph inputs ORT expects (initializers excluded), in model order. */
    public Map<String, ValueType> inputs() {
        return inputs;
    }

    /** The providers registered with the session, in priority order. */
    public List<ExecutionProvider> providers() {
        return providers;
    }

    /** Provider fallbacks that happened while opening, one line each. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * An ORT tensor over the IR tensor's bytes (a direct buffer is used in place); the caller closes it and keeps
     * the IR tensor alive as long as the ORT tensor.
     */
    public OnnxTensor tensor(String inputName, Tensor t) {
        try {
            return OrtTensors.toOrt(env, inputName, t);
        } catch (OrtException e) {
            throw OrtSessions.failure("onnxruntime cannot create a tensor for input '" + inputName + "'", e);
        }
    }

    /** Ends profiling and returns the trace file ORT wrote, when the session was opened with a profiling prefix. */
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

    /** Wraps an ORT failure during a run the caller drove itself. */
    public static RuntimeFailureException runFailure(OrtException e) {
        return OrtSessions.failure("onnxruntime failed to run the model", e);
    }

    @Override
    public void close() {
        OrtSessions.closeQuietly(session);
    }
}
