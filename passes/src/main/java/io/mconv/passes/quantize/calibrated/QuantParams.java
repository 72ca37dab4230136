package io.mconv.passes.quantize.calibrated;

/**
 * Scale and zero point of a per-tensor linear quantization {@code q = clamp(round(x / scale) + zeroPoint)}.
 *
 * @param scale     the real step between two quantized values; positive
 * @param zeroPoint the quantized value that represents real 0
 * @param type      the integer type
 */
public record QuantParams(float scale, int zeroPoint, QuantType type) {

    public QuantParams {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite: " + scale);
        }
    }

    /**
     * Parameters for a range. The range is first widened to hold 0, because zero padding and ReLU's zeros must be
     * represented exactly (ONNX requires zero to be exactly representable). Symmetric ranges are widened to
     * [-a, a]; the zero point is then the middle of the type (0 for int8, 128 for uint8). A range of width 0 gets
     * scale 1, which quantizes its single value (0) exactly.
     */
    public static QuantParams forRange(TensorRange range, QuantType type, boolean symmetric, boolean reduceRange) {
        double rmin = Math.min(range.min(), 0f);
        double rmax = Math.max(range.max(), 0f);
        int qmin = type.qmin(symmetric, reduceRange);
        int qmax = type.qmax(symmetric, reduceRange);
        if (symmetric) {
            double a = Math.max(-rmin, rmax);
            rmin = -a;
            rmax = a;
        }
        if (rmax == rmin) {
            return new QuantParams(1f, symmetric ? (qmin + qmax + 1) / 2 : qmin, type);
        }
        float scale = (float) ((rmax - rmin) / (qmax - qmin));
        int zp;
        if (symmetric) {
            // The middle of the range: 0 for int8 [-127, 127], 128 for uint8 (as ONNX Runtime does).
            zp = type == QuantType.INT8 ? 0 : (qmin + qmax + 1) / 2;
        } else {
            zp = (int) Math.round(qmin - rmin / scale);
            zp = Math.max(qmin, Math.min(qmax, zp));
        }
        return new QuantParams(scale, zp, type);
    }

    /** Quantizes one value. */
    public int quantize(float x) {
        long q = Math.round(x / (double) scale) + zeroPoint;
        return (int) Math.max(type == QuantType.INT8 ? -128 : 0, Math.min(type == QuantType.INT8 ? 127 : 255, q));
    }

    /** Same type, scale and zero point. */
    public boolean sameAs(QuantParams o) {
        return o != null && type == o.type && zeroPoint == o.zeroPoint && Float.compare(scale, o.scale) == 0;
    }
}
