package io.mconv.passes.fold;

import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import java.util.List;

/** Output element counts of the ops that can grow a tensor, computed from constant inputs before folding. */
final class Estimates {

    private Estimates() {
    }

    /** The element count {@code n} would produce, or -1 when it is not one of the growing ops or is malformed. */
    static long outputElements(Node n, List<Tensor> inputs) {
        try {
            switch (n.opType()) {
                case "ConstantOfShape":
                    return product(inputs.get(0).toLongArray());
                case "Expand": {
                    long[] a = inputs.get(0).dims();
                    long[] s = inputs.get(1).toLongArray();
                    int r = Math.max(a.length, s.length);
                    long total = 1;
                    for (int k = 0; k < r; k++) {
                        long da = k - (r - a.length) >= 0 ? a[k - (r - a.length)] : 1;
                        long ds = k - (r - s.length) >= 0 ? s[k - (r - s.length)] : 1;
                        total = Math.multiplyExact(total, Math.max(Math.max(da, ds), 0));
                    }
                    return total;
                }
                case "Tile": {
                    long total = inputs.get(0).elementCount();
                    for (long r : inputs.get(1).toLongArray()) {
                        total = Math.multiplyExact(total, Math.max(r, 0));
                    }
                    return total;
                }
                case "Range": {
                    double s = first(inputs.get(0));
                    double l = first(inputs.get(1));
                    double d = first(inputs.get(2));
                    return d == 0 ? -1 : (long) Math.max(Math.ceil((l - s) / d), 0);
                }
                default:
                    return -1;
            }
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // the count overflows a long: never worth computing
        } catch (RuntimeException e) {
            return -1; // malformed: the evaluator says why
        }
    }

    private static double first(Tensor t) {
        return t.dataType().isFloatingPoint() ? t.toDoubleArray()[0] : t.toLongArray()[0];
    }

    private static long product(long[] dims) {
        long total = 1;
        for (long d : dims) {
            total = Math.multiplyExact(total, Math.max(d, 0));
        }
        return total;
    }
}
