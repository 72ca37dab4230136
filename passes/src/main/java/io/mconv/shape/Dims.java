package io.mconv.shape;

import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/** Arithmetic on dimensions that may be known, symbolic or unknown. When a result is not certain, it is unknown. */
public final class Dims {

    private Dims() {
    }

    public static boolean isKnown(Dim d, long value) {
        return d.isKnown() && d.value() == value;
    }

    /** Same known value or same symbol. */
    public static boolean sameDim(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return a.value().longValue() == b.value().longValue();
        }
        return a.isSymbolic() && b.isSymbolic() && a.param().equals(b.param());
    }

    /** Numpy broadcasting of two dimensions. */
    public static Dim broadcast(Dim a, Dim b) {
        if (isKnown(a, 1)) {
            return b;
        }
        if (isKnown(b, 1)) {
            return a;
        }
        if (a.isKnown() && b.isKnown()) {
            if (a.value().longValue() != b.value().longValue()) {
                throw new ShapeInferenceException("cannot broadcast " + a + " with " + b);
            }
            return a;
        }
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown()) {
            return b;
        }
        if (sameDim(a, b)) {
            return a;
        }
        return Dim.unknown();
    }

    /** Numpy broadcasting of shapes (right-aligned). */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.rank());
            int ib = i - (rank - b.rank());
            Dim da = ia >= 0 ? a.dim(ia) : Dim.of(1);
            Dim db = ib >= 0 ? b.dim(ib) : Dim.of(1);
            out.add(broadcast(da, db));
        }
        return new Shape(out);
    }

    /** Two descriptions of the same dimension (concat's other axes, If branches): the most precise one. */
    public static Dim merge(Dim a, Dim b) {
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown()) {
            return b;
        }
        if (a.isSymbolic()) {
            return a;
        }
        return b;
    }

    /** Two descriptions that must agree (If branches): the common one, else unknown. */
    public static Dim common(Dim a, Dim b) {
        return sameDim(a, b) ? a : Dim.unknown();
    }

    public static Dim mul(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return Dim.of(Math.multiplyExact(a.value(), b.value()));
        }
        if (isKnown(a, 1)) {
            return b;
        }
        if (isKnown(b, 1)) {
            return a;
        }
        return Dim.unknown();
    }

    public static Dim add(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return Dim.of(Math.addExact(a.value(), b.value()));
        }
        if (isKnown(a, 0)) {
            return b;
        }
        if (isKnown(b, 0)) {
            return a;
        }
        return Dim.unknown();
    }

    public static Dim addConst(Dim a, long c) {
        if (c == 0) {
            return a;
        }
        return a.isKnown() ? Dim.of(Math.addExact(a.value(), c)) : Dim.unknown();
    }

    public static Dim product(List<Dim> dims) {
        Dim p = Dim.of(1);
        for (Dim d : dims) {
            p = mul(p, d);
        }
        return p;
    }

    /** Normalizes a possibly negative axis against {@code rank}. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeInferenceException("axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }

    public static Shape unknownOfRank(int rank) {
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            out.add(Dim.unknown());
        }
        return new Shape(out);
    }

    public static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
