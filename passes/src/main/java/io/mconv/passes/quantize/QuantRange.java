package io.mconv.passes.quantize;

import io.mconv.ir.DataType;

/**
 * The integer codes a quantized tensor may use. Symmetric signed ranges drop the most negative code (int8 uses
 * [-127, 127], int4 [-7, 7]) so that zero sits exactly in the middle and +max and -max round to codes of equal
 * magnitude, as ONNX Runtime's quantizer does. {@code reduceRange} keeps one bit less (int8 [-64, 63], uint8
 * [0, 127]): some x86 CPUs without VNNI saturate the 16-bit intermediate sums of u8×s8 products (vpmaddubsw), and
 * 7-bit weights cannot overflow them.
 */
public record QuantRange(DataType type, int min, int max) {

    public static QuantRange of(DataType type, boolean symmetric, boolean reduceRange) {
        return switch (type) {
            case INT8 -> reduceRange ? new QuantRange(type, symmetric ? -63 : -64, 63)
                    : new QuantRange(type, symmetric ? -127 : -128, 127);
            case UINT8 -> reduceRange ? new QuantRange(type, 0, 127) : new QuantRange(type, 0, 255);
            case INT4 -> new QuantRange(type, symmetric ? -7 : -8, 7);
            case UINT4 -> new QuantRange(type, 0, 15);
            default -> throw new IllegalArgumentException("cannot quantize to " + type);
        };
    }

    public boolean signed() {
        return min < 0;
    }

    /** Scale and zero point that map [lo, hi] (widened to include 0, so that 0 is exact) onto this range. */
    public ScaleZeroPoint paramsFor(double lo, double hi, boolean symmetric) {
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        if (symmetric) {
            double absMax = Math.max(-lo, hi);
            double scale = absMax / ((max - min) / 2.0);
            return new ScaleZeroPoint(scale == 0 ? 1f : (float) scale, signed() ? 0 : (min + max + 1) / 2);
        }
        double scale = (hi - lo) / (max - min);
        if (scale == 0) {
            return new ScaleZeroPoint(1f, signed() ? 0 : min);
        }
        long zero = Math.round(min - lo / scale);
        return new ScaleZeroPoint((float) scale, (int) Math.max(min, Math.min(max, zero)));
    }

    /** round-half-to-even(x / scale) + zero, saturated to the range (QuantizeLinear's rule). */
    public int quantize(float x, ScaleZeroPoint p) {
        double q = Math.rint(x / p.scale()) + p.zeroPoint();
        return (int) Math.max(min, Math.min(max, q));
    }
}
