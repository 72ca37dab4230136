package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.Value;
import io.mconv.torch.export.SValue;

import java.util.ArrayList;
import java.util.List;

/** Python values as the interpreter hands them to symbolics, to write symbolic calls in tests briefly. */
final class PyValues {

    private PyValues() {
    }

    static SValue i(long v) {
        return new SValue.Const(v);
    }

    static SValue f(double v) {
        return new SValue.Const(v);
    }

    static SValue b(boolean v) {
        return new SValue.Const(v);
    }

    static SValue s(String v) {
        return new SValue.Const(v);
    }

    static SValue none() {
        return SValue.Const.NONE;
    }

    static SValue list(SValue... items) {
        return new SValue.ListV(new ArrayList<>(List.of(items)));
    }

    static SValue ints(long... items) {
        List<SValue> out = new ArrayList<>();
        for (long v : items) {
            out.add(i(v));
        }
        return new SValue.ListV(out);
    }

    /** {@code x.size(axis)} as the interpreter makes it when shapes are dynamic: a run-time int. */
    static SValue dynamicSize(SymbolicHarness h, SValue x, long axis) {
        var ctx = h.context();
        Value shape = ctx.op("Shape", List.of(((SValue.TensorV) x).value()));
        Value item = ctx.op("Gather", List.of(shape, ctx.scalarLong(axis)), Attribute.ofInt("axis", 0));
        return new SValue.DynScalar(item, SValue.DynScalar.Kind.INT);
    }
}
