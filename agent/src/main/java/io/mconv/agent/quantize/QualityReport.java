package io.mconv.agent.quantize;

import io.mconv.agent.runtime.Tolerance;
import java.util.List;
import java.util.Locale;

/**
 * The quantized model against the float model on the same seeded random inputs, in ONNX Runtime.
 *
 * @param minCosine the bar every float output's cosine must reach ({@link QuantizationPlan})
 * @param tolerance the element-wise tolerance reported beside it (Tolerance.INT8, FP16, ...)
 */
public record QualityReport(List<OutputQuality> outputs, double minCosine, Tolerance tolerance) {

    public QualityReport {
        outputs = List.copyOf(outputs);
    }

    public double worstCosine() {
        return outputs.stream().mapToDouble(OutputQuality::cosine).min().orElse(1);
    }

    public double worstAbsError() {
        return outputs.stream().mapToDouble(OutputQuality::maxAbsError).max().orElse(0);
    }

    public boolean passed() {
        return outputs.stream().allMatch(o -> o.cosine() >= minCosine);
    }

    /** The first output below the bar, as text. */
    public String firstFailure() {
        return outputs.stream().filter(o -> !(o.cosine() >= minCosine)).findFirst()
                .map(o -> String.format(Locale.ROOT, "output '%s' cosine %.6f < %s, max abs error %.6g",
                        o.name(), o.cosine(), minCosine, o.maxAbsError()))
                .orElse("");
    }
}
