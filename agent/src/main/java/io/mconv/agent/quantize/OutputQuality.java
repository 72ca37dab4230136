package io.mconv.agent.quantize;

/**
 * How one output of the quantized model compares with the float model's.
 *
 * @param top1Agreement for classifier-shaped outputs ([N, classes], classes &gt; 1): the share of rows whose arg-max
 *                      class is the same; NaN for other outputs
 * @param withinTolerance share of elements within the precision's element-wise tolerance (informational: a
 *                      quantized model is expected to differ; the gate is the cosine)
 */
public record OutputQuality(String name, double cosine, double maxAbsError, double top1Agreement,
                            double withinTolerance) {

    public boolean classifier() {
        return !Double.isNaN(top1Agreement);
    }
}
