package io.mconv.passes.quantize;

/**
 * Block-wise quantization of a [K, N] weight along K: every column is cut into blocks of {@code blockSize}
 * consecutive rows (the last one may be short), and every block gets its own scale and zero point. Small blocks
 * follow the local magnitude of the weights, which is what keeps 4-bit weights usable.
 */
final class BlockQuantizer {

    private final QuantRange range;
    private final boolean symmetric;
    private final int blockSize;

    BlockQuantizer(QuantRange range, boolean symmetric, int blockSize) {
        this.range = range;
        this.symmetric = symmetric;
        this.blockSize = blockSize;
    }

    /** Codes in [K, N] row-major order; params indexed {@code block * N + column}. */
    BlockQuantized quantize(WeightMatrix w) {
        int blocks = (w.rows() + blockSize - 1) / blockSize;
        ScaleZeroPoint[] params = new ScaleZeroPoint[blocks * w.cols()];
        int[] codes = new int[w.values().length];
        for (int b = 0; b < blocks; b++) {
            int from = b * blockSize;
            int to = Math.min(w.rows(), from + blockSize);
            for (int c = 0; c < w.cols(); c++) {
                double lo = 0;
                double hi = 0;
                for (int r = from; r < to; r++) {
                    lo = Math.min(lo, w.get(r, c));
                    hi = Math.max(hi, w.get(r, c));
                }
                ScaleZeroPoint p = range.paramsFor(lo, hi, symmetric);
                params[b * w.cols() + c] = p;
                for (int r = from; r < to; r++) {
                    codes[r * w.cols() + c] = range.quantize(w.get(r, c), p);
                }
            }
        }
        return new BlockQuantized(w.rows(), w.cols(), blockSize, blocks, codes, params);
    }

    record BlockQuantized(int k, int n, int blockSize, int blocks, int[] codes, ScaleZeroPoint[] params) {
    }
}
