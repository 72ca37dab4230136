package io.mconv.eval;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/** The computations behind the standard kernels, over {@link NdArray}s. */
final class Ops {

    private Ops() {
    }

    // ---- elementwise -----------------------------------------------------------------------------------------

    static NdArray unary(NdArray a, DoubleUnaryOperator fd, LongUnaryOperator fl) {
        if (a.isFloat()) {
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = fd.applyAsDouble(a.f[i]);
            }
            return NdArray.floats(a.type, a.dims, out);
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fl.applyAsLong(a.l[i]);
        }
        return NdArray.longs(a.type, a.dims, out);
    }

    /** Broadcast binary op; the result has {@code outType} (or a's type when null). */
    static NdArray binary(String op, NdArray a, NdArray b, DataType outType, DoubleBinaryOperator fd,
                          LongBinaryOperator fl) {
        long[] dims = NdArray.broadcastShape(op, a.dims, b.dims);
        int[] ma = NdArray.broadcastMap(a.dims, dims);
        int[] mb = NdArray.broadcastMap(b.dims, dims);
        DataType type = outType == null ? a.type : outType;
        int n = ma.length;
        if (a.isFloat() || b.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = fd.applyAsDouble(a.d(ma[i]), b.d(mb[i]));
            }
            return NdArray.fromDoubles(type, dims, out);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = fl.applyAsLong(a.l[ma[i]], b.l[mb[i]]);
        }
        return NdArray.longs(type, dims, out);
    }

    static NdArray compare(String op, NdArray a, NdArray b, DoubleBinaryOperator fd, LongBinaryOperator fl) {
        return binary(op, a, b, DataType.BOOL, fd, fl);
    }

    static double bool(boolean v) {
        return v ? 1 : 0;
    }

    static long lbool(boolean v) {
        return v ? 1 : 0;
    }

    /** Integer division truncating toward zero, as C and ONNX Runtime do. */
    static long intDiv(long a, long b) {
        if (b == 0) {
            throw new EvaluationException("integer division by zero");
        }
        return a / b;
    }

    static NdArray where(NdArray c, NdArray x, NdArray y) {
        long[] dims = NdArray.broadcastShape("Where", c.dims, x.dims, y.dims);
        int[] mc = NdArray.broadcastMap(c.dims, dims);
        int[] mx = NdArray.broadcastMap(x.dims, dims);
        int[] my = NdArray.broadcastMap(y.dims, dims);
        int n = mc.length;
        if (x.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = c.l[mc[i]] != 0 ? x.f[mx[i]] : y.f[my[i]];
            }
            return NdArray.floats(x.type, dims, out);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.l[mc[i]] != 0 ? x.l[mx[i]] : y.l[my[i]];
        }
        return NdArray.longs(x.type, dims, out);
    }

    static NdArray pow(NdArray a, NdArray b) {
        return binary("Pow", a, b, a.type, Math::pow, (x, y) -> y >= 0 ? ipow(x, y) : (long) Math.pow(x, y));
    }

    private static long ipow(long base, long exp) {
        long result = 1;
        long b = base;
        long e = exp;
        while (e > 0) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
            e >>= 1;
        }
        return result;
    }

    /** Variadic broadcast fold (Min, Max, Sum, Mean). */
    static NdArray variadic(String op, List<NdArray> in, DoubleBinaryOperator fd, LongBinaryOperator fl) {
        NdArray acc = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            acc = binary(op, acc, in.get(i), acc.type, fd, fl);
        }
        return acc;
    }

    static double max(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    static double min(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
    }

    /**
     * The error function to about 1e-15: its Maclaurin series below |x| = 3, and 1 - erfc(x) from erfc's continued
     * fraction above (where erfc is below 2.3e-5).
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < 3) {
            double sum = 0;
            double term = x; // x^(2n+1) (-1)^n / n!
            for (int n = 0; n < 200; n++) {
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                    break;
                }
                term = -term * x * x / (n + 1);
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        if (ax > 6) {
            return Math.signum(x);
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double frac = ax;
        for (int k = 60; k >= 1; k--) {
            frac = ax + (k / 2.0) / frac;
        }
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / frac;
        return Math.signum(x) * (1 - erfc);
    }

    // ---- casts -----------------------------------------------------------------------------------------------

    /**
     * Cast: float to float rounds to nearest even; float to integer truncates toward zero and then wraps to the
     * target width (out-of-range values are undefined in ONNX; NaN becomes 0); float to bool is {@code x != 0}
     * (NaN is true); integer to integer wraps (two's complement); integer to float rounds to nearest even; bool
     * is 0 or 1.
     */
    static NdArray cast(NdArray a, DataType to) {
        if (NdArray.isFloat(to)) {
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.d(i);
            }
            return NdArray.floats(to, a.dims, out);
        }
        long[] out = new long[a.size()];
        if (a.isFloat()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = to == DataType.BOOL ? lbool(a.f[i] != 0 || Double.isNaN(a.f[i])) : (long) a.f[i];
            }
        } else {
            System.arraycopy(a.l, 0, out, 0, out.length);
        }
        return NdArray.longs(to, a.dims, out);
    }

    // ---- shape and data movement -----------------------------------------------------------------------------

    static long[] ints(NdArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.j(i);
        }
        return out;
    }

    static NdArray int64(long[] dims, long... values) {
        return NdArray.longs(DataType.INT64, dims, values.clone());
    }

    static NdArray shape(Node node, NdArray a) {
        int r = a.rank();
        long start = node.attrIfPresent(AttrKey.ofInt("start")).orElse(0L);
        long end = node.attrIfPresent(AttrKey.ofInt("end")).orElse((long) r);
        start = clampAxis(start, r);
        end = clampAxis(end, r);
        long[] out = end > start ? Arrays.copyOfRange(a.dims, (int) start, (int) end) : new long[0];
        return int64(new long[]{out.length}, out);
    }

    private static long clampAxis(long v, int r) {
        long x = v < 0 ? v + r : v;
        return Math.max(0, Math.min(r, x));
    }

    static NdArray reshape(Node node, NdArray a, NdArray shape) {
        long[] s = ints(shape);
        boolean allowZero = node.attrIfPresent(AttrKey.ofInt("allowzero")).orElse(0L) != 0;
        long known = 1;
        int inferred = -1;
        long[] out = new long[s.length];
        for (int k = 0; k < s.length; k++) {
            long d = s[k];
            if (d == 0 && !allowZero) {
                if (k >= a.rank()) {
                    throw new EvaluationException("Reshape: 0 at axis " + k + " but the input has rank " + a.rank());
                }
                d = a.dims[k];
            }
            if (d == -1) {
                if (inferred >= 0) {
                    throw new EvaluationException("Reshape: more than one -1 in " + Arrays.toString(s));
                }
                inferred = k;
                continue;
            }
            if (d < 0) {
                throw new EvaluationException("Reshape: invalid dimension " + d + " in " + Arrays.toString(s));
            }
            out[k] = d;
            known *= d;
        }
        if (inferred >= 0) {
            if (known == 0 || a.size() % known != 0) {
                throw new EvaluationException("Reshape: cannot infer -1 of " + Arrays.toString(s) + " for "
                        + a.size() + " elements");
            }
            out[inferred] = a.size() / known;
        }
        if (Tensor.elementCount(out) != a.size()) {
            throw new EvaluationException("Reshape: " + Arrays.toString(a.dims) + " cannot become "
                    + Arrays.toString(out));
        }
        return a.reshape(out);
    }

    /** Axes from the attribute if set, else from input {@code inputIndex} if present, else null. */
    static long[] axes(Node node, List<NdArray> in, int inputIndex) {
        var attr = node.attribute("axes");
        if (attr.isPresent()) {
            return attr.get().asInts();
        }
        if (in.size() > inputIndex && in.get(inputIndex) != null) {
            return ints(in.get(inputIndex));
        }
        return null;
    }

    static NdArray squeeze(Node node, List<NdArray> in) {
        NdArray a = in.get(0);
        long[] axes = axes(node, in, 1);
        boolean[] drop = new boolean[a.rank()];
        if (axes == null) {
            for (int k = 0; k < a.rank(); k++) {
                drop[k] = a.dims[k] == 1;
            }
        } else {
            for (long ax : axes) {
                int k = NdArray.normalizeAxis("Squeeze", ax, a.rank());
                if (a.dims[k] != 1) {
                    throw new EvaluationException("Squeeze: axis " + ax + " has size " + a.dims[k]);
                }
                drop[k] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int k = 0; k < a.rank(); k++) {
            if (!drop[k]) {
                out.add(a.dims[k]);
            }
        }
        return a.reshape(out.stream().mapToLong(Long::longValue).toArray());
    }

    static NdArray unsqueeze(Node node, List<NdArray> in) {
        NdArray a = in.get(0);
        long[] axes = axes(node, in, 1);
        if (axes == null) {
            throw new EvaluationException("Unsqueeze: no axes");
        }
        int r = a.rank() + axes.length;
        boolean[] inserted = new boolean[r];
        for (long ax : axes) {
            int k = NdArray.normalizeAxis("Unsqueeze", ax, r);
            if (inserted[k]) {
                throw new EvaluationException("Unsqueeze: axis " + ax + " repeated");
            }
            inserted[k] = true;
        }
        long[] out = new long[r];
        int src = 0;
        for (int k = 0; k < r; k++) {
            out[k] = inserted[k] ? 1 : a.dims[src++];
        }
        return a.reshape(out);
    }

    static NdArray flatten(Node node, NdArray a) {
        long axis = node.attrIfPresent(AttrKey.ofInt("axis")).orElse(1L);
        int r = a.rank();
        int k = (int) (axis < 0 ? axis + r : axis);
        if (k < 0 || k > r) {
            throw new EvaluationException("Flatten: axis " + axis + " out of range for rank " + r);
        }
        long outer = 1;
        for (int i = 0; i < k; i++) {
            outer *= a.dims[i];
        }
        long inner = 1;
        for (int i = k; i < r; i++) {
            inner *= a.dims[i];
        }
        return a.reshape(new long[]{outer, inner});
    }

    static NdArray transpose(Node node, NdArray a) {
        int r = a.rank();
        long[] perm = node.attribute("perm").map(Attribute::asInts).orElse(null);
        if (perm == null) {
            perm = new long[r];
            for (int k = 0; k < r; k++) {
                perm[k] = r - 1 - k;
            }
        }
        if (perm.length != r) {
            throw new EvaluationException("Transpose: perm " + Arrays.toString(perm) + " for rank " + r);
        }
        long[] inStrides = NdArray.strides(a.dims);
        long[] outDims = new long[r];
        long[] s = new long[r];
        for (int k = 0; k < r; k++) {
            int p = NdArray.normalizeAxis("Transpose", perm[k], r);
            outDims[k] = a.dims[p];
            s[k] = inStrides[p];
        }
        return a.pick(outDims, NdArray.stridedMap(outDims, s, 0));
    }

    static NdArray gather(Node node, NdArray data, NdArray indices) {
        int axis = NdArray.normalizeAxis("Gather", node.attrIfPresent(AttrKey.ofInt("axis")).orElse(0L),
                data.rank());
        long[] idx = ints(indices);
        long axisDim = data.dims[axis];
        long outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= data.dims[k];
        }
        long inner = 1;
        for (int k = axis + 1; k < data.rank(); k++) {
            inner *= data.dims[k];
        }
        long[] outDims = new long[data.rank() - 1 + indices.rank()];
        System.arraycopy(data.dims, 0, outDims, 0, axis);
        System.arraycopy(indices.dims, 0, outDims, axis, indices.rank());
        System.arraycopy(data.dims, axis + 1, outDims, axis + indices.rank(), data.rank() - axis - 1);
        int[] map = new int[NdArray.count(outDims)];
        int p = 0;
        for (long o = 0; o < outer; o++) {
            for (long i : idx) {
                long ii = i < 0 ? i + axisDim : i;
                if (ii < 0 || ii >= axisDim) {
                    throw new EvaluationException("Gather: index " + i + " out of range for axis size " + axisDim);
                }
                long base = (o * axisDim + ii) * inner;
                for (long q = 0; q < inner; q++) {
                    map[p++] = (int) (base + q);
                }
            }
        }
        return data.pick(outDims, map);
    }

    static NdArray concat(Node node, List<NdArray> in) {
        NdArray first = in.get(0);
        int r = first.rank();
        int axis = NdArray.normalizeAxis("Concat", node.attr(AttrKey.ofInt("axis")), r);
        long[] outDims = first.dims.clone();
        outDims[axis] = 0;
        for (NdArray a : in) {
            if (a.rank() != r) {
                throw new EvaluationException("Concat: inputs of ranks " + r + " and " + a.rank());
            }
            for (int k = 0; k < r; k++) {
                if (k != axis && a.dims[k] != first.dims[k]) {
                    throw new EvaluationException("Concat: shapes " + Arrays.toString(first.dims) + " and "
                            + Arrays.toString(a.dims) + " differ off axis " + axis);
                }
            }
            outDims[axis] += a.dims[axis];
        }
        long outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= outDims[k];
        }
        int n = NdArray.count(outDims);
        boolean isFloat = first.isFloat();
        double[] fo = isFloat ? new double[n] : null;
        long[] lo = isFloat ? null : new long[n];
        int p = 0;
        for (long o = 0; o < outer && n > 0; o++) {
            for (NdArray a : in) {
                int block = (int) (a.size() / outer);
                int start = (int) (o * block);
                if (isFloat) {
                    System.arraycopy(a.f, start, fo, p, block);
                } else {
                    System.arraycopy(a.l, start, lo, p, block);
                }
                p += block;
            }
        }
        return isFloat ? NdArray.floats(first.type, outDims, fo) : NdArray.longs(first.type, outDims, lo);
    }

    /** Slice, both forms: attributes starts/ends/axes (opset &lt; 10) or inputs starts/ends/axes/steps. */
    static NdArray slice(Node node, List<NdArray> in) {
        NdArray a = in.get(0);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (node.attribute("starts").isPresent()) {
            starts = node.attribute("starts").get().asInts();
            ends = node.attribute("ends").orElseThrow().asInts();
            axes = node.attribute("axes").map(Attribute::asInts).orElse(null);
        } else {
            starts = ints(in.get(1));
            ends = ints(in.get(2));
            axes = in.size() > 3 && in.get(3) != null ? ints(in.get(3)) : null;
            steps = in.size() > 4 && in.get(4) != null ? ints(in.get(4)) : null;
        }
        int r = a.rank();
        if (axes == null) {
            axes = new long[starts.length];
            for (int k = 0; k < axes.length; k++) {
                axes[k] = k;
            }
        }
        if (ends.length != starts.length || axes.length != starts.length
                || (steps != null && steps.length != starts.length)) {
            throw new EvaluationException("Slice: starts, ends, axes and steps differ in length");
        }
        long[] begin = new long[r];
        long[] step = new long[r];
        long[] outDims = a.dims.clone();
        Arrays.fill(step, 1);
        boolean[] seen = new boolean[r];
        for (int i = 0; i < starts.length; i++) {
            int k = NdArray.normalizeAxis("Slice", axes[i], r);
            if (seen[k]) {
                throw new EvaluationException("Slice: axis " + axes[i] + " repeated");
            }
            seen[k] = true;
            long d = a.dims[k];
            long st = steps == null ? 1 : steps[i];
            if (st == 0) {
                throw new EvaluationException("Slice: step 0");
            }
            long s = starts[i];
            long e = ends[i];
            if (s < 0) {
                s += d;
            }
            if (e < 0) {
                e += d;
            }
            long n;
            if (st > 0) {
                s = Math.max(0, Math.min(d, s));
                e = Math.max(0, Math.min(d, e));
                n = e > s ? (e - s + st - 1) / st : 0;
            } else {
                s = Math.max(0, Math.min(d - 1, s));
                e = Math.max(-1, Math.min(d - 1, e));
                n = s > e ? (s - e + (-st) - 1) / (-st) : 0;
            }
            begin[k] = s;
            step[k] = st;
            outDims[k] = n;
        }
        long[] inStrides = NdArray.strides(a.dims);
        long base = 0;
        long[] s = new long[r];
        for (int k = 0; k < r; k++) {
            if (outDims[k] > 0) {
                base += begin[k] * inStrides[k];
            }
            s[k] = inStrides[k] * step[k];
        }
        if (Tensor.elementCount(outDims) == 0) {
            return a.pick(outDims, new int[0]);
        }
        return a.pick(outDims, NdArray.stridedMap(outDims, s, base));
    }

    static NdArray expand(NdArray a, NdArray shape) {
        long[] dims = NdArray.broadcastShape("Expand", a.dims, ints(shape));
        return a.pick(dims, NdArray.broadcastMap(a.dims, dims));
    }

    static NdArray tile(NdArray a, NdArray repeats) {
        long[] rep = ints(repeats);
        int r = a.rank();
        if (rep.length != r) {
            throw new EvaluationException("Tile: " + rep.length + " repeats for rank " + r);
        }
        long[] outDims = new long[r];
        for (int k = 0; k < r; k++) {
            if (rep[k] < 0) {
                throw new EvaluationException("Tile: negative repeat " + rep[k]);
            }
            outDims[k] = a.dims[k] * rep[k];
        }
        int n = NdArray.count(outDims);
        int[] map = new int[n];
        long[] inStrides = NdArray.strides(a.dims);
        long[] idx = new long[r];
        for (int i = 0; i < n; i++) {
            long src = 0;
            for (int k = 0; k < r; k++) {
                src += (idx[k] % a.dims[k]) * inStrides[k];
            }
            map[i] = (int) src;
            for (int k = r - 1; k >= 0; k--) {
                if (++idx[k] < outDims[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return a.pick(outDims, map);
    }

    static NdArray range(NdArray start, NdArray limit, NdArray delta) {
        if (start.isFloat()) {
            double s = start.f[0];
            double l = limit.d(0);
            double d = delta.d(0);
            long n = Math.max((long) Math.ceil((l - s) / d), 0);
            double[] out = new double[checkedCount(n)];
            for (int i = 0; i < out.length; i++) {
                out[i] = s + i * d;
            }
            return NdArray.floats(start.type, new long[]{n}, out);
        }
        long s = start.l[0];
        long l = limit.l[0];
        long d = delta.l[0];
        if (d == 0) {
            throw new EvaluationException("Range: delta 0");
        }
        long diff = l - s;
        long q = diff / d;
        if (diff % d != 0 && (diff > 0) == (d > 0)) {
            q++;
        }
        long n = Math.max(q, 0);
        long[] out = new long[checkedCount(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = s + i * d;
        }
        return NdArray.longs(start.type, new long[]{n}, out);
    }

    private static int checkedCount(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new EvaluationException("Range: " + n + " elements");
        }
        return (int) n;
    }

    static NdArray constantOfShape(Node node, NdArray shape) {
        long[] dims = ints(shape);
        Tensor value = node.attribute("value").map(Attribute::asTensor).orElse(null);
        NdArray v = value == null ? NdArray.floats(DataType.FLOAT, new long[]{1}, new double[]{0}) : NdArray.of(value);
        int n = NdArray.count(dims);
        return v.reshape(new long[]{1}).pick(dims, new int[n]);
    }

    static NdArray constant(Node node) {
        for (Attribute a : node.attributes()) {
            switch (a.name()) {
                case "value":
                    return NdArray.of(a.asTensor());
                case "value_float":
                    return NdArray.floats(DataType.FLOAT, new long[0], new double[]{a.asFloat()});
                case "value_floats": {
                    float[] v = a.asFloats();
                    double[] d = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        d[i] = v[i];
                    }
                    return NdArray.floats(DataType.FLOAT, new long[]{v.length}, d);
                }
                case "value_int":
                    return int64(new long[0], a.asInt());
                case "value_ints":
                    return int64(new long[]{a.asInts().length}, a.asInts());
                default:
                    break;
            }
        }
        throw new UnsupportedEvaluationException("Constant: no numeric value attribute");
    }

    // ---- reductions ------------------------------------------------------------------------------------------

    enum Reduction { SUM, MEAN, PROD, MAX, MIN, SUM_SQUARE, L1, L2, LOG_SUM, LOG_SUM_EXP }

    static NdArray reduce(Node node, List<NdArray> in, Reduction kind) {
        NdArray a = in.get(0);
        int r = a.rank();
        long[] axes = axes(node, in, 1);
        boolean keep = node.attrIfPresent(AttrKey.ofInt("keepdims")).orElse(1L) != 0;
        boolean noop = node.attrIfPresent(AttrKey.ofInt("noop_with_empty_axes")).orElse(0L) != 0;
        boolean[] reduced = new boolean[r];
        if (axes == null || axes.length == 0) {
            if (noop) {
                return a;
            }
            Arrays.fill(reduced, true);
        } else {
            for (long ax : axes) {
                reduced[NdArray.normalizeAxis(node.opType(), ax, r)] = true;
            }
        }
        long[] keptDims = new long[r];
        List<Long> outList = new ArrayList<>();
        long groupSize = 1;
        for (int k = 0; k < r; k++) {
            keptDims[k] = reduced[k] ? 1 : a.dims[k];
            if (reduced[k]) {
                groupSize *= a.dims[k];
                if (keep) {
                    outList.add(1L);
                }
            } else {
                outList.add(a.dims[k]);
            }
        }
        long[] outDims = outList.stream().mapToLong(Long::longValue).toArray();
        long[] outStrides = NdArray.strides(keptDims);
        long[] s = new long[r];
        for (int k = 0; k < r; k++) {
            s[k] = reduced[k] ? 0 : outStrides[k];
        }
        int[] target = NdArray.stridedMap(a.dims, s, 0);
        int n = NdArray.count(outDims);
        if (a.isFloat()) {
            double init = switch (kind) {
                case PROD -> 1;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
                default -> 0;
            };
            double[] acc = new double[n];
            Arrays.fill(acc, init);
            for (int i = 0; i < target.length; i++) {
                double x = a.f[i];
                int t = target[i];
                acc[t] = switch (kind) {
                    case SUM, MEAN, LOG_SUM -> acc[t] + x;
                    case PROD -> acc[t] * x;
                    case MAX -> max(acc[t], x);
                    case MIN -> min(acc[t], x);
                    case SUM_SQUARE, L2 -> acc[t] + x * x;
                    case L1 -> acc[t] + Math.abs(x);
                    case LOG_SUM_EXP -> acc[t] + Math.exp(x);
                };
            }
            for (int i = 0; i < n; i++) {
                acc[i] = switch (kind) {
                    case MEAN -> acc[i] / groupSize;
                    case L2 -> Math.sqrt(acc[i]);
                    case LOG_SUM, LOG_SUM_EXP -> Math.log(acc[i]);
                    default -> acc[i];
                };
            }
            return NdArray.floats(a.type, outDims, acc);
        }
        long init = switch (kind) {
            case PROD -> 1;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
            default -> 0;
        };
        long[] acc = new long[n];
        Arrays.fill(acc, init);
        for (int i = 0; i < target.length; i++) {
            long x = a.l[i];
            int t = target[i];
            acc[t] = switch (kind) {
                case SUM, MEAN -> acc[t] + x;
                case PROD -> acc[t] * x;
                case MAX -> Math.max(acc[t], x);
                case MIN -> Math.min(acc[t], x);
                case SUM_SQUARE -> acc[t] + x * x;
                case L1 -> acc[t] + Math.abs(x);
                default -> throw new UnsupportedEvaluationException(node.opType() + " on integers");
            };
        }
        if (kind == Reduction.MEAN) {
            for (int i = 0; i < n; i++) {
                acc[i] = intDiv(acc[i], groupSize);
            }
        }
        return NdArray.longs(a.type, outDims, acc);
    }

    // ---- linear algebra --------------------------------------------------------------------------------------

    /** numpy.matmul: 1-D operands are promoted and the added axis removed; batch axes broadcast. */
    static NdArray matmul(NdArray a, NdArray b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new EvaluationException("MatMul: scalar operand");
        }
        boolean aVec = a.rank() == 1;
        boolean bVec = b.rank() == 1;
        NdArray a2 = aVec ? a.reshape(new long[]{1, a.dims[0]}) : a;
        NdArray b2 = bVec ? b.reshape(new long[]{b.dims[0], 1}) : b;
        long m = a2.dims[a2.rank() - 2];
        long k = a2.dims[a2.rank() - 1];
        long k2 = b2.dims[b2.rank() - 2];
        long n = b2.dims[b2.rank() - 1];
        if (k != k2) {
            throw new EvaluationException("MatMul: inner dimensions " + k + " and " + k2 + " differ");
        }
        long[] aBatch = Arrays.copyOf(a2.dims, a2.rank() - 2);
        long[] bBatch = Arrays.copyOf(b2.dims, b2.rank() - 2);
        long[] batch = NdArray.broadcastShape("MatMul", aBatch, bBatch);
        int[] ma = NdArray.broadcastMap(aBatch, batch);
        int[] mb = NdArray.broadcastMap(bBatch, batch);
        int nb = ma.length;
        long[] outDims = Arrays.copyOf(batch, batch.length + 2);
        outDims[batch.length] = m;
        outDims[batch.length + 1] = n;
        int total = NdArray.count(outDims);
        boolean isFloat = a.isFloat();
        double[] fo = isFloat ? new double[total] : null;
        long[] lo = isFloat ? null : new long[total];
        int mi = (int) m;
        int ki = (int) k;
        int ni = (int) n;
        for (int bi = 0; bi < nb; bi++) {
            int aOff = ma[bi] * mi * ki;
            int bOff = mb[bi] * ki * ni;
            int oOff = bi * mi * ni;
            for (int i = 0; i < mi; i++) {
                for (int j = 0; j < ni; j++) {
                    if (isFloat) {
                        double sum = 0;
                        for (int q = 0; q < ki; q++) {
                            sum += a2.f[aOff + i * ki + q] * b2.f[bOff + q * ni + j];
                        }
                        fo[oOff + i * ni + j] = sum;
                    } else {
                        long sum = 0;
                        for (int q = 0; q < ki; q++) {
                            sum += a2.l[aOff + i * ki + q] * b2.l[bOff + q * ni + j];
                        }
                        lo[oOff + i * ni + j] = sum;
                    }
                }
            }
        }
        List<Long> finalDims = new ArrayList<>();
        for (long d : batch) {
            finalDims.add(d);
        }
        if (!aVec) {
            finalDims.add(m);
        }
        if (!bVec) {
            finalDims.add(n);
        }
        long[] fd = finalDims.stream().mapToLong(Long::longValue).toArray();
        return isFloat ? NdArray.floats(a.type, fd, fo) : NdArray.longs(a.type, fd, lo);
    }
}
