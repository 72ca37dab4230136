package io.mconv.agent.convert;

import io.mconv.agent.runtime.Tolerance;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.passes.Target;
import java.util.Map;

/**
 * How to write and check a conversion.
 *
 * @param externalData   AUTO (external only past 2 GiB), ALWAYS ({@code --external-data}) or NEVER
 * @param thresholdBytes with ALWAYS: tensors smaller than this stay inline
 * @param validate       run source and result in ONNX Runtime on seeded random inputs and compare
 * @param tolerance      a fixed tolerance, or null for per-precision presets
 * @param inputShapes    concrete shapes for symbolic input dimensions during validation
 * @param seed           seed of the random validation inputs
 * @param opset          the default-domain opset to convert to ({@code --opset}), or null to keep the source's
 * @param target         the runtime the converted opset is for ({@code --target ort|portable}): PORTABLE writes
 *                       standard ONNX; ORT keeps what ONNX Runtime runs below its standard opset (LayerNormalization
 *                       below 17) so the result matches the original in ORT exactly
 */
public record ConvertOptions(ExternalDataPolicy externalData, long thresholdBytes, boolean validate,
                             Tolerance tolerance, Map<String, Shape> inputShapes, long seed, Integer opset,
                             Target target) {

    public ConvertOptions {
        inputShapes = Map.copyOf(inputShapes);
        if (target == null) {
            throw new IllegalArgumentException("target is required (Target.PORTABLE by default)");
        }
    }

    /** Options converting to {@code opset} for the portable target. */
    public ConvertOptions(ExternalDataPolicy externalData, long thresholdBytes, boolean validate, Tolerance tolerance,
                          Map<String, Shape> inputShapes, long seed, Integer opset) {
        this(externalData, thresholdBytes, validate, tolerance, inputShapes, seed, opset, Target.PORTABLE);
    }

    /** Options that keep the source's opset. */
    public ConvertOptions(ExternalDataPolicy externalData, long thresholdBytes, boolean validate, Tolerance tolerance,
                          Map<String, Shape> inputShapes, long seed) {
        this(externalData, thresholdBytes, validate, tolerance, inputShapes, seed, null);
    }

    public static ConvertOptions defaults() {
        return new ConvertOptions(ExternalDataPolicy.AUTO, 1024, true, null, Map.of(), 0);
    }

    public ConvertOptions withOpset(Integer target) {
        return new ConvertOptions(externalData, thresholdBytes, validate, tolerance, inputShapes, seed, target,
                this.target);
    }

    public ConvertOptions withTarget(Target runtime) {
        return new ConvertOptions(externalData, thresholdBytes, validate, tolerance, inputShapes, seed, opset, runtime);
    }
}
