package io.mconv.agent.quantize;

/**
 * Median ONNX Runtime CPU latency of the float and the quantized model (all ORT graph optimizations on, as a user
 * runs them, so quantized patterns fuse into integer kernels), and quantized / float.
 */
public record LatencyComparison(double floatMillis, double quantizedMillis, int runs) {

    public double ratio() {
        return quantizedMillis / floatMillis;
    }
}
