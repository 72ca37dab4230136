package io.mconv.passes.quantize;

import io.mconv.ir.Tensor;

/**
 * A constant weight as the [K, N] matrix a MatMul multiplies by (row k, column n), transposed on the way in when the
 * operator stores it as [N, K] (Gemm with transB = 1). Quantization works on this one layout.
 */
record WeightMatrix(int rows, int cols, float[] values) {

    static WeightMatrix of(Tensor t, boolean transposed) {
        long[] d = t.dims();
        float[] v = t.toFloatArray();
        if (!transposed) {
            return new WeightMatrix((int) d[0], (int) d[1], v);
        }
        int rows = (int) d[1];
        int cols = (int) d[0];
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = v[c * rows + r];
            }
        }
        return new WeightMatrix(rows, cols, out);
    }

    float get(int row, int col) {
        return values[row * cols + col];
    }
}
