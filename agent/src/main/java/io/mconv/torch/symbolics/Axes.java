package io.mconv.torch.symbolics;

import io.mconv.torch.export.SymbolicException;

/** Normalising the dimension and int-list arguments ATen takes (negative dims, one int for every spatial dim). */
public final class Axes {

    private Axes() {
    }

    /** {@code dim} in {@code [-rank, rank)} as a non-negative axis. */
    public static long normalize(long dim, int rank) {
        long axis = dim < 0 ? dim + rank : dim;
        if (axis < 0 || axis >= Math.max(rank, 1)) {
            throw new SymbolicException("dimension " + dim + " is out of range for rank " + rank);
        }
        return axis;
    }

    /** An int[N] argument: one value repeated N times, or exactly N values. */
    public static long[] expand(long[] values, int n, String what) {
        if (values.length == n) {
            return values;
        }
        if (values.length == 1) {
            long[] out = new long[n];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        throw new SymbolicException(what + " has " + values.length + " values where " + n + " are expected");
    }

    /** ONNX pads ({@code begin..., end...}) from torch's symmetric padding. */
    public static long[] symmetricPads(long[] padding) {
        long[] pads = new long[padding.length * 2];
        for (int i = 0; i < padding.length; i++) {
            pads[i] = padding[i];
            pads[i + padding.length] = padding[i];
        }
        return pads;
    }
}
