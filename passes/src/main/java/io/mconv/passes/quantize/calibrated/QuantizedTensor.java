package io.mconv.passes.quantize.calibrated;

import io.mconv.ir.Tensor;

/**
 * A constant quantized for a DequantizeLinear: the integer data, its scale(s) and zero point(s).
 *
 * @param data      int8/uint8 (weights) or int32 (bias), same shape as the float tensor
 * @param scale     float scalar, or 1-D with one scale per channel along {@code axis}
 * @param zeroPoint same shape as {@code scale}, of the data's type
 * @param axis      the channel axis for per-channel, or -1 for per-tensor
 */
public record QuantizedTensor(Tensor data, Tensor scale, Tensor zeroPoint, int axis) {

    public boolean perChannel() {
        return axis >= 0;
    }

    /** The scales as floats (one for per-tensor). */
    public float[] scales() {
        return scale.toFloatArray();
    }
}
