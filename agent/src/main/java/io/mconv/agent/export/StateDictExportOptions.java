package io.mconv.agent.export;

import io.mconv.agent.runtime.Tolerance;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.ExternalDataPolicy;

/**
 * What {@code mconv convert state_dict.pt --arch ... --to onnx} was asked.
 *
 * @param arch           the layers the state_dict's tensors fill
 * @param opset          ONNX opset of the built model (13 to 21)
 * @param inputShape     {@code [N, D0]} fixing the batch, or null for a symbolic {@code batch}
 * @param validate       compare ONNX Runtime with mconv's reference evaluator before writing
 * @param tolerance      of that comparison
 * @param seed           seed of the random validation inputs
 */
public record StateDictExportOptions(ArchSpec arch, int opset, Shape inputShape, boolean validate,
                                     Tolerance tolerance, long seed, ExternalDataPolicy externalData,
                                     long thresholdBytes) {
}
