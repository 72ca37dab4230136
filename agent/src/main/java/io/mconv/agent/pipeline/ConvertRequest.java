package io.mconv.agent.pipeline;

import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Target;
import io.mconv.torch.export.InputSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code mconv convert MODEL --to onnx} was asked, for one source.
 *
 * @param torchSource       the source is TorchScript (exported first) rather than ONNX
 * @param exportOpset       opset of a TorchScript export
 * @param onnxOpset         for an ONNX source, the opset to convert to, or null to keep it
 * @param torchInputs       the export's input names, shapes and types
 * @param dynamicAxes       the export's symbolic axes by input
 * @param inputShapes       fixes symbolic dimensions for validation, quantization and profiling
 * @param passTarget        optimizer and quantizer target (ort or portable), or null for each tool's default
 * @param providers         execution providers to validate on (cpu always; cuda when asked and present)
 * @param validate          prove each step and the result (off: the chain is written unchecked)
 * @param tolerance         a fixed tolerance for float comparisons, or null for the per-precision presets
 * @param profileIterations timed runs per model of the profile step, 0 to leave the profile step out
 * @param version           mconv's version: part of every cache key and of the provenance
 */
public record ConvertRequest(Path source, Path output, boolean torchSource, int exportOpset, Integer onnxOpset,
                             List<InputSpec> torchInputs, Map<String, Map<Integer, String>> dynamicAxes,
                             Map<String, Shape> inputShapes, OptimizationLevel optimize, QuantizeChoice quantize,
                             Path calibration, Target passTarget, List<ExecutionProvider> providers,
                             boolean validate, Tolerance tolerance, Constraints constraints,
                             ExternalDataPolicy externalData, long thresholdBytes, int profileIterations,
                             String version) {

    public ConvertRequest {
        torchInputs = List.copyOf(torchInputs);
        dynamicAxes = Map.copyOf(dynamicAxes);
        inputShapes = Map.copyOf(inputShapes);
        providers = List.copyOf(providers);
    }

    /** The same request for another source and output (batch conversion). */
    public ConvertRequest forSource(Path otherSource, boolean otherIsTorch, Path otherOutput) {
        return new ConvertRequest(otherSource, otherOutput, otherIsTorch, exportOpset, onnxOpset, torchInputs,
                dynamicAxes, inputShapes, optimize, quantize, calibration, passTarget, providers, validate, tolerance,
                constraints, externalData, thresholdBytes, profileIterations, version);
    }
}
