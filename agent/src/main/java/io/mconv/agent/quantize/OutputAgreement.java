package io.mconv.agent.quantize;

/**
 * How one output of the quantized model agrees with the float model over the evaluation inputs.
 *
 * @param name           the output
 * @param cosine         cosine similarity of all evaluation outputs, concatenated
 * @param maxAbsError    the largest absolute difference
 * @param top1Agreement  share of rows whose argmax agrees, for [N, classes] outputs; NaN for other shapes
 */
public record OutputAgreement(String name, double cosine, double maxAbsError, double top1Agreement) {
}
