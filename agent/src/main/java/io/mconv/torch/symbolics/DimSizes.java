package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.torch.export.SymbolicContext;

import java.util.List;

/** The size of one axis of a tensor: a constant when the shape says so, else read at run time. */
final class DimSizes {

    private DimSizes() {
    }

    /** The size when statically known, else -1. */
    static long known(SymbolicContext ctx, Value x, long axis) {
        Shape s = ctx.shapeOrNull(x);
        if (s == null || axis >= s.rank()) {
            return -1;
        }
        Dim d = s.dim((int) axis);
        return d.isKnown() ? d.value() : -1;
    }

    /** The size as a 1-D int64 tensor of one element (for Concat-built shapes). */
    static Value vector(SymbolicContext ctx, Value x, long axis) {
        long k = known(ctx, x, axis);
        if (k >= 0) {
            return ctx.longs(k);
        }
        return ctx.op("Slice", List.of(ctx.op("Shape", List.of(x)), ctx.longs(axis), ctx.longs(axis + 1)));
    }

    /** The size as a 0-d int64 tensor. */
    static Value scalar(SymbolicContext ctx, Value x, long axis) {
        long k = known(ctx, x, axis);
        if (k >= 0) {
            return ctx.scalarLong(k);
        }
        return ctx.op("Gather", List.of(ctx.op("Shape", List.of(x)), ctx.scalarLong(axis)),
                Attribute.ofInt("axis", 0));
    }

    /** Dims {@code [from, to)} of the shape as a 1-D int64 tensor. */
    static Value range(SymbolicContext ctx, Value x, long from, long to) {
        Shape s = ctx.shapeOrNull(x);
        if (s != null) {
            boolean known = true;
            long[] out = new long[(int) (to - from)];
            for (int i = 0; i < out.length; i++) {
                Dim d = s.dim((int) from + i);
                known &= d.isKnown();
                out[i] = known ? d.value() : 0;
            }
            if (known) {
                return ctx.longs(out);
            }
        }
        return ctx.op("Slice", List.of(ctx.op("Shape", List.of(x)), ctx.longs(from), ctx.longs(to)));
    }
}
