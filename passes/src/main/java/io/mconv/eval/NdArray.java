package io.mconv.eval;

import io.mconv.ir.DataType;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The evaluator's working form of a tensor: floating-point elements as {@code double[]}, integers and booleans as
 * {@code long[]}. Every array is normalized to its element type when it is made: float32 values are rounded to
 * float32, float16 values to float16 (through float32, round to nearest even), integers wrap to their width (two's
 * complement, as C and ONNX Runtime do), booleans become 0 or 1. So each kernel computes in double or long and the
 * result is what a float32/int32 kernel would have produced, up to double rounding.
 */
final class NdArray {

    final DataType type;
    final long[] dims;
    final double[] f;
    final long[] l;

    private NdArray(DataType type, long[] dims, double[] f, long[] l) {
        this.type = type;
        this.dims = dims;
        this.f = f;
        this.l = l;
    }

    static boolean isFloat(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16;
    }

    static boolean isInteger(DataType t) {
        return switch (t) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> true;
            default -> false;
        };
    }

    /** The element types the evaluator computes with. */
    static boolean supported(DataType t) {
        return t != null && (isFloat(t) || isInteger(t) || t == DataType.BOOL);
    }

    static NdArray of(Tensor t) {
        DataType type = t.dataType();
        if (isFloat(type)) {
            return new NdArray(type, t.dims(), t.toDoubleArray(), null);
        }
        if (isInteger(type) || type == DataType.BOOL) {
            return new NdArray(type, t.dims(), null, t.toLongArray());
        }
        throw new UnsupportedEvaluationException("element type " + type + " is not supported");
    }

    /** A float array of {@code type}, rounding each element to that type's precision. */
    static NdArray floats(DataType type, long[] dims, double[] data) {
        check(dims, data.length);
        if (type == DataType.FLOAT) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) data[i];
            }
        } else if (type == DataType.FLOAT16) {
            for (int i = 0; i < data.length; i++) {
                data[i] = HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16((float) data[i]));
            }
        } else if (type != DataType.DOUBLE) {
            throw new IllegalArgumentException(type + " is not a float type");
        }
        return new NdArray(type, dims, data, null);
    }

    /** An integer or bool array of {@code type}, wrapping each element to that type's width. */
    static NdArray longs(DataType type, long[] dims, long[] data) {
        check(dims, data.length);
        for (int i = 0; i < data.length; i++) {
            data[i] = wrap(type, data[i]);
        }
        return new NdArray(type, dims, null, data);
    }

    /** A new array of {@code type} from double values: floats round, integers truncate toward zero and wrap. */
    static NdArray fromDoubles(DataType type, long[] dims, double[] data) {
        if (isFloat(type)) {
            return floats(type, dims, data);
        }
        long[] out = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = type == DataType.BOOL ? (data[i] != 0 ? 1 : 0) : (long) data[i];
        }
        return longs(type, dims, out);
    }

    static long wrap(DataType type, long v) {
        return switch (type) {
            case INT8 -> (byte) v;
            case INT16 -> (short) v;
            case INT32 -> (int) v;
            case UINT8 -> v & 0xff;
            case UINT16 -> v & 0xffff;
            case UINT32 -> v & 0xffffffffL;
            case BOOL -> v != 0 ? 1 : 0;
            default -> v;
        };
    }

    private static void check(long[] dims, int length) {
        if (Tensor.elementCount(dims) != length) {
            throw new IllegalStateException(Arrays.toString(dims) + " does not hold " + length + " elements");
        }
    }

    boolean isFloat() {
        return f != null;
    }

    int size() {
        return f != null ? f.length : l.length;
    }

    int rank() {
        return dims.length;
    }

    double d(int i) {
        return f != null ? f[i] : l[i];
    }

    long j(int i) {
        return f != null ? (long) f[i] : l[i];
    }

    /** The same elements with other dimensions (element count unchanged). */
    NdArray reshape(long[] newDims) {
        check(newDims, size());
        return new NdArray(type, newDims, f, l);
    }

    /** Elements picked by {@code map} (output index to input index), as a new array of the same type. */
    NdArray pick(long[] newDims, int[] map) {
        if (f != null) {
            double[] out = new double[map.length];
            for (int i = 0; i < map.length; i++) {
                out[i] = f[map[i]];
            }
            return new NdArray(type, newDims, out, null);
        }
        long[] out = new long[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = l[map[i]];
        }
        return new NdArray(type, newDims, null, out);
    }

    Tensor toTensor(String name) {
        int n = size();
        ByteBuffer b = ByteBuffer.allocate((int) type.byteSize(n)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> {
                for (double v : f) {
                    b.putFloat((float) v);
                }
            }
            case DOUBLE -> {
                for (double v : f) {
                    b.putDouble(v);
                }
            }
            case FLOAT16 -> {
                for (double v : f) {
                    b.putShort(HalfPrecision.floatToFloat16((float) v));
                }
            }
            case INT8, UINT8, BOOL -> {
                for (long v : l) {
                    b.put((byte) v);
                }
            }
            case INT16, UINT16 -> {
                for (long v : l) {
                    b.putShort((short) v);
                }
            }
            case INT32, UINT32 -> {
                for (long v : l) {
                    b.putInt((int) v);
                }
            }
            case INT64 -> {
                for (long v : l) {
                    b.putLong(v);
                }
            }
            default -> throw new UnsupportedEvaluationException("element type " + type + " is not supported");
        }
        b.flip();
        return Tensor.ofRaw(name, type, dims, b);
    }

    // ---- index helpers ---------------------------------------------------------------------------------------

    static int count(long[] dims) {
        long n = Tensor.elementCount(dims);
        if (n > Integer.MAX_VALUE - 8) {
            throw new EvaluationException("tensor of shape " + Arrays.toString(dims) + " is too large to evaluate");
        }
        return (int) n;
    }

    static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int k = dims.length - 1; k >= 0; k--) {
            s[k] = acc;
            acc *= dims[k];
        }
        return s;
    }

    /**
     * For each flat index of an array of {@code outDims}, the input index {@code base + sum(idx[k] * strides[k])}:
     * the common form of transpose, slice and broadcast.
     */
    static int[] stridedMap(long[] outDims, long[] strides, long base) {
        int n = count(outDims);
        int[] map = new int[n];
        int r = outDims.length;
        long[] idx = new long[r];
        long pos = base;
        for (int i = 0; i < n; i++) {
            map[i] = (int) pos;
            for (int k = r - 1; k >= 0; k--) {
                idx[k]++;
                pos += strides[k];
                if (idx[k] < outDims[k]) {
                    break;
                }
                pos -= strides[k] * idx[k];
                idx[k] = 0;
            }
        }
        return map;
    }

    /** Numpy-style multidirectional broadcast of shapes. */
    static long[] broadcastShape(String op, long[]... shapes) {
        int r = 0;
        for (long[] s : shapes) {
            r = Math.max(r, s.length);
        }
        long[] out = new long[r];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            int off = r - s.length;
            for (int k = 0; k < s.length; k++) {
                long d = s[k];
                long o = out[off + k];
                if (o == 1) {
                    out[off + k] = d;
                } else if (d != 1 && d != o) {
                    throw new EvaluationException(op + ": shapes " + describe(shapes) + " do not broadcast");
                }
            }
        }
        return out;
    }

    private static String describe(long[][] shapes) {
        StringBuilder sb = new StringBuilder();
        for (long[] s : shapes) {
            sb.append(sb.length() == 0 ? "" : ", ").append(Arrays.toString(s));
        }
        return sb.toString();
    }

    /** For each flat index of {@code outDims}, the index into an array of {@code inDims} broadcast to it. */
    static int[] broadcastMap(long[] inDims, long[] outDims) {
        int r = outDims.length;
        int off = r - inDims.length;
        long[] inStrides = strides(inDims);
        long[] s = new long[r];
        for (int k = 0; k < inDims.length; k++) {
            s[off + k] = inDims[k] == 1 ? 0 : inStrides[k];
        }
        return stridedMap(outDims, s, 0);
    }

    static int normalizeAxis(String op, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new EvaluationException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }
}
