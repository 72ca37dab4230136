package io.mconv.agent.quantize;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeLoadFailureException;
import io.mconv.agent.validation.ModelValidator;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The float model a quantized (or pruned) one is measured against, in ONNX Runtime. Accuracy is measured against the oracle
 * session (graph optimizations off, so ORT's fusions cannot hide a difference); latency against a session
 * configured as the quantized one is timed ({@link LatencyMeter#sessionConfig()}), opened only when timing is asked.
 */
public final class FloatReference implements AutoCloseable {

    private final Path source;
    private final OrtModelRunner oracle;
    private OrtModelRunner timed;

    private FloatReference(Path source, OrtModelRunner oracle) {
        this.source = source;
        this.oracle = oracle;
    }

    public static FloatReference open(Path source) {
        try {
            return new FloatReference(source, OrtModelRunner.open(source, OrtSessionConfig.forValidation()));
        } catch (RuntimeLoadFailureException e) {
            // The float model the user gave does not load, not the quantized one: the check cannot be made (exit 1,
            // as optimize says it), and the message says which model and how to go on without it.
            throw ValidationFailedException.runtimeRefused(source + ModelValidator.SOURCE_DOES_NOT_RUN,
                    e.getMessage());
        }
    }

    /** Opens a quantized model the way it is measured: as users run it (optimizations on, one thread). */
    public static OrtModelRunner openCandidate(io.mconv.ir.Model quantized) {
        return OrtModelRunner.open(quantized, LatencyMeter.sessionConfig());
    }

    public static OrtModelRunner openCandidate(Path quantized) {
        return OrtModelRunner.open(quantized, LatencyMeter.sessionConfig());
    }

    public ModelRunner oracle() {
        return oracle;
    }

    public QualityReport quality(ModelRunner candidate, List<Map<String, Tensor>> inputs, double minCosine,
                          Tolerance tolerance) {
        return QualityMeter.measure(oracle, candidate, inputs, minCosine, tolerance);
    }

    public LatencyComparison latency(ModelRunner candidate, Map<String, Tensor> feeds, int runs) {
        if (timed == null) {
            timed = OrtModelRunner.open(source, LatencyMeter.sessionConfig());
        }
        return LatencyMeter.compare(timed, candidate, feeds, runs);
    }

    @Override
    public void close() {
        try (OrtModelRunner a = oracle; OrtModelRunner b = timed) {
            // both sessions closed, the second even when closing the first fails
        }
    }
}
