package io.mconv.torch.export;

import io.mconv.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The transpose of a 2-D constant, by copying element bytes. {@code linear} on a rank-3 input multiplies by the
 * transposed weight; doing that once here, at memory speed, keeps a vit_b_16 export from spending seconds in the
 * general constant folder (which computes element by element in doubles).
 */
final class ConstantTranspose {

    private ConstantTranspose() {
    }

    static Tensor of(Tensor t, String name) {
        long[] dims = t.dims();
        int rows = Math.toIntExact(dims[0]);
        int cols = Math.toIntExact(dims[1]);
        int es = t.dataType().bits() / 8;
        ByteBuffer src = t.rawBytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(rows * cols, es)).order(ByteOrder.LITTLE_ENDIAN);
        if (es == 4) {
            // the common case (float32): whole ints, no per-element arraycopy call
            int[] in = new int[rows * cols];
            src.asIntBuffer().get(in);
            int[] res = new int[in.length];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int c = 0; c < cols; c++) {
                    res[c * rows + r] = in[base + c];
                }
            }
            out.asIntBuffer().put(res);
        } else {
            byte[] in = new byte[src.remaining()];
            src.get(in);
            byte[] res = out.array();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    System.arraycopy(in, (r * cols + c) * es, res, (c * rows + r) * es, es);
                }
            }
        }
        return Tensor.ofRaw(name, t.dataType(), new long[] {cols, rows}, out);
    }

    /** A 2-D constant of a fixed-size numeric type with perm [1, 0]. */
    static boolean applies(String opType, java.util.List<io.mconv.ir.Value> inputs,
                           io.mconv.ir.Attribute... attributes) {
        if (!opType.equals("Transpose") || inputs.size() != 1 || inputs.get(0) == null) {
            return false;
        }
        Tensor c = inputs.get(0).constValue();
        if (c == null || c.rank() != 2 || c.dataType().bits() % 8 != 0 || c.dataType().bits() == 0
                || c.dataType() == io.mconv.ir.DataType.STRING) {
            return false;
        }
        for (io.mconv.ir.Attribute a : attributes) {
            if (a.name().equals("perm") && !java.util.Arrays.equals(a.asInts(), new long[] {1, 0})) {
                return false;
            }
        }
        return true;
    }
}
