package io.mconv.agent.export;

import io.mconv.agent.runtime.Tolerance;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.torch.export.ExportOptions;

/**
 * What {@code mconv convert model.pt --to onnx} was asked.
 *
 * @param export       opset, inputs and dynamic axes for the exporter
 * @param cleanup      run the optimizer's basic passes on the exported graph (constant folding of weight
 *                     transposes, dead nodes, identities), as torch.onnx's export does with its own passes
 * @param validate     run the .pt in libtorch and the result in ONNX Runtime on seeded random inputs and compare
 * @param tolerance    a fixed tolerance, or null for per-precision presets (fp32: atol 1e-4, rtol 1e-3)
 * @param seed         seed of the random validation inputs
 */
public record TorchExportOptions(ExportOptions export, boolean cleanup, boolean validate, Tolerance tolerance,
                                 long seed, ExternalDataPolicy externalData, long thresholdBytes) {
}
