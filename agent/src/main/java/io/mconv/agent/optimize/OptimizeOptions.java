package io.mconv.agent.optimize;

import io.mconv.agent.runtime.Tolerance;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Target;
import java.util.List;
import java.util.Map;

/**
 * What {@code mconv optimize} was asked.
 *
 * @param passes     when not empty, exactly these passes (by name)
 * @param disable    passes to leave out
 * @param opset      raise the default-domain opset to this first, or null
 * @param validate   compare original and result in ONNX Runtime before writing
 * @param tolerance  fixed tolerance, or null for per-precision presets
 */
public record OptimizeOptions(OptimizationLevel level, Target target, List<String> passes, List<String> disable,
                              Map<String, Shape> inputShapes, Integer opset, boolean verifyEach, boolean validate,
                              Tolerance tolerance, ExternalDataPolicy externalData, long thresholdBytes) {

    public OptimizeOptions {
        passes = List.copyOf(passes);
        disable = List.copyOf(disable);
        inputShapes = Map.copyOf(inputShapes);
    }

    public static OptimizeOptions defaults() {
        return new OptimizeOptions(OptimizationLevel.BASIC, Target.PORTABLE, List.of(), List.of(), Map.of(), null,
                false, true, null, ExternalDataPolicy.AUTO, 1024);
    }

    public OptimizeOptions withLevel(OptimizationLevel l) {
        return new OptimizeOptions(l, target, passes, disable, inputShapes, opset, verifyEach, validate, tolerance,
                externalData, thresholdBytes);
    }

    public OptimizeOptions withTarget(Target t) {
        return new OptimizeOptions(level, t, passes, disable, inputShapes, opset, verifyEach, validate, tolerance,
                externalData, thresholdBytes);
    }

    public OptimizeOptions withOpset(Integer o) {
        return new OptimizeOptions(level, target, passes, disable, inputShapes, o, verifyEach, validate, tolerance,
                externalData, thresholdBytes);
    }
}
