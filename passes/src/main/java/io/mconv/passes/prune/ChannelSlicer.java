package io.mconv.passes.prune;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Keeps some indices of one axis of a tensor, byte for byte: works for every fixed-width dtype (float32 weights,
 * float16 or float64 BatchNormalization statistics, int64 constants) without converting values. And the L1 norm of
 * each slice along an axis, the score structured pruning ranks channels by.
 */
final class ChannelSlicer {

    private ChannelSlicer() {
    }

    /** {@code t} with only {@code kept} (ascending) indices of {@code axis}; the name is {@code name}. */
    static Tensor keep(Tensor t, int axis, int[] kept, String name) {
        DataType type = t.dataType();
        if (type == DataType.STRING || type.bits() % 8 != 0) {
            throw new IllegalArgumentException("cannot slice a " + type + " tensor");
        }
        long[] dims = t.dims();
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer = Math.multiplyExact(outer, dims[i]);
        }
        long inner = type.byteSize(1);
        for (int i = axis + 1; i < dims.length; i++) {
            inner = Math.multiplyExact(inner, dims[i]);
        }
        ByteBuffer src = t.rawBytes();
        long[] newDims = dims.clone();
        newDims[axis] = kept.length;
        ByteBuffer dst = ByteBuffer.allocate(Math.toIntExact(outer * kept.length * inner)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] block = new byte[Math.toIntExact(inner)];
        for (long o = 0; o < outer; o++) {
            for (int k : kept) {
                src.get(Math.toIntExact((o * dims[axis] + k) * inner), block);
                dst.put(block);
            }
        }
        dst.flip();
        return Tensor.ofRaw(name, type, newDims, dst);
    }

    /** Sum of |w| over each index of {@code axis}. */
    static double[] l1Norms(Tensor t, int axis) {
        long[] dims = t.dims();
        double[] v = t.toDoubleArray();
        int channels = (int) dims[axis];
        long inner = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        double[] norms = new double[channels];
        for (int i = 0; i < v.length; i++) {
            norms[(int) ((i / inner) % channels)] += Math.abs(v[i]);
        }
        return norms;
    }
}
