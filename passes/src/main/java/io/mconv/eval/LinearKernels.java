package io.mconv.eval;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Node;

import java.util.List;

/**
 * Gemm and Gelu for the reference evaluator: the two ops a Linear/GELU stack exports to, so that a model built
 * from weights alone (no source code to run) still has an independent reference to compare ONNX Runtime with.
 * Computed in double; the result is rounded back to the input's float type by {@link NdArray}.
 */
final class LinearKernels {

    private LinearKernels() {
    }

    /** Y = alpha * op(A) * op(B) + beta * C, op = optional transpose; C broadcasts to [M, N] (Gemm-7 and later). */
    static NdArray gemm(Node node, List<NdArray> in) {
        NdArray a = in.get(0);
        NdArray b = in.get(1);
        NdArray c = in.size() > 2 ? in.get(2) : null;
        if (a.rank() != 2 || b.rank() != 2) {
            throw new EvaluationException("Gemm: operands must be 2-D, got ranks " + a.rank() + " and " + b.rank());
        }
        boolean transA = node.attrIfPresent(AttrKey.ofInt("transA")).orElse(0L) != 0;
        boolean transB = node.attrIfPresent(AttrKey.ofInt("transB")).orElse(0L) != 0;
        double alpha = node.attrIfPresent(AttrKey.ofFloat("alpha")).orElse(1f);
        double beta = node.attrIfPresent(AttrKey.ofFloat("beta")).orElse(1f);
        int m = (int) (transA ? a.dims[1] : a.dims[0]);
        int k = (int) (transA ? a.dims[0] : a.dims[1]);
        int kb = (int) (transB ? b.dims[1] : b.dims[0]);
        int n = (int) (transB ? b.dims[0] : b.dims[1]);
        if (k != kb) {
            throw new EvaluationException("Gemm: inner dimensions " + k + " and " + kb + " differ");
        }
        long[] outDims = {m, n};
        if (c != null && !broadcastsTo(c.dims, outDims)) {
            throw new EvaluationException("Gemm: C of shape " + java.util.Arrays.toString(c.dims)
                    + " does not broadcast to [" + m + ", " + n + "]");
        }
        int[] cMap = c == null ? null : NdArray.broadcastMap(c.dims, outDims);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int q = 0; q < k; q++) {
                    double av = a.d(transA ? q * m + i : i * k + q);
                    double bv = b.d(transB ? j * k + q : q * n + j);
                    sum += av * bv;
                }
                double y = alpha * sum;
                if (c != null) {
                    y += beta * c.d(cMap[i * n + j]);
                }
                out[i * n + j] = y;
            }
        }
        return NdArray.fromDoubles(a.type, outDims, out);
    }

    /** Unidirectional broadcasting: C's dims, aligned right, are each 1 or the output's. */
    private static boolean broadcastsTo(long[] from, long[] to) {
        if (from.length > to.length) {
            return false;
        }
        for (int i = 1; i <= from.length; i++) {
            long f = from[from.length - i];
            if (f != 1 && f != to[to.length - i]) {
                return false;
            }
        }
        return true;
    }

    /** Gelu-20: x * Phi(x) exactly ("none"), or the tanh approximation torch calls approximate='tanh'. */
    static NdArray gelu(Node node, NdArray x) {
        String approximate = node.attrIfPresent(AttrKey.ofString("approximate")).orElse("none");
        return switch (approximate) {
            case "none" -> Ops.unary(x, v -> 0.5 * v * (1 + Ops.erf(v / Math.sqrt(2))), v -> v);
            case "tanh" -> Ops.unary(x, v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI)
                    * (v + 0.044715 * v * v * v))), v -> v);
            default -> throw new EvaluationException("Gelu: unknown approximate '" + approximate + "'");
        };
    }
}
