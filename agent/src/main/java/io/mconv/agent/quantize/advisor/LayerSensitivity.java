package io.mconv.agent.quantize.advisor;

/**
 * The output error when only this layer is quantized (dynamic int8), the rest kept in float.
 *
 * @param drop the accuracy drop as {@link PlanAccuracy} defines it
 */
public record LayerSensitivity(String node, String opType, long weightBytes, double cosine, double maxAbsError,
                               double drop) {
}
