package io.mconv.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** A tensor shape whose dimensions may be known, symbolic or unknown. Immutable. */
public record Shape(List<Dim> dims) {

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... dims) {
        List<Dim> list = new ArrayList<>(dims.length);
        for (long d : dims) {
            list.add(Dim.of(d));
        }
        return new Shape(list);
    }

    public int rank() {
        return dims.size();
    }

    public Dim dim(int i) {
        return dims.get(i);
    }

    public boolean isFullyKnown() {
        return dims.stream().allMatch(Dim::isKnown);
    }

    /** The known sizes; only valid when {@link #isFullyKnown()}. */
    public long[] toArray() {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            Dim d = dims.get(i);
            if (!d.isKnown()) {
                throw new IllegalStateException("dimension " + i + " of " + this + " is not known");
            }
            out[i] = d.value();
        }
        return out;
    }

    /** The element count when every dimension is known, with overflow checked. */
    public OptionalLong elementCount() {
        if (!isFullyKnown()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Tensor.elementCount(toArray()));
    }

    /** {@code 1x3x224x224}, {@code batchx3x?x?}; a scalar is {@code scalar}. */
    @Override
    public String toString() {
        if (dims.isEmpty()) {
            return "scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(dims.get(i));
        }
        return sb.toString();
    }
}
