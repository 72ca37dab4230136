package io.mconv.passes.quantize;

/**
 * Quantizes a [K, N] weight matrix with one scale/zero point for the whole tensor, or one per output column
 * (per-channel: each output feature has its own range, which matters when the columns' magnitudes differ a lot).
 */
final class ChannelQuantizer {

    private final QuantRange range;
    private final boolean symmetric;

    ChannelQuantizer(QuantRange range, boolean symmetric) {
        this.range = range;
        this.symmetric = symmetric;
    }

    /** Codes in the matrix's [K, N] row-major order; params has N entries per-channel, else one. */
    QuantizedMatrix quantize(WeightMatrix w, boolean perColumn) {
        int groups = perColumn ? w.cols() : 1;
        double[] lo = new double[groups];
        double[] hi = new double[groups];
        for (int r = 0; r < w.rows(); r++) {
            for (int c = 0; c < w.cols(); c++) {
                int g = perColumn ? c : 0;
                float x = w.get(r, c);
                lo[g] = Math.min(lo[g], x);
                hi[g] = Math.max(hi[g], x);
            }
        }
        ScaleZeroPoint[] params = new ScaleZeroPoint[groups];
        for (int g = 0; g < groups; g++) {
            params[g] = range.paramsFor(lo[g], hi[g], symmetric);
        }
        int[] codes = new int[w.values().length];
        for (int r = 0; r < w.rows(); r++) {
            for (int c = 0; c < w.cols(); c++) {
                codes[r * w.cols() + c] = range.quantize(w.get(r, c), params[perColumn ? c : 0]);
            }
        }
        return new QuantizedMatrix(codes, params);
    }

    record QuantizedMatrix(int[] codes, ScaleZeroPoint[] params) {

        float[] scales() {
            float[] s = new float[params.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = params[i].scale();
            }
            return s;
        }

        int[] zeroPoints() {
            int[] z = new int[params.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = params[i].zeroPoint();
            }
            return z;
        }
    }
}
