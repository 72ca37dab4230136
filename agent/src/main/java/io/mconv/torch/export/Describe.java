package io.mconv.torch.export;

/** Short descriptions of lowering values for error messages. */
final class Describe {

    private Describe() {
    }

    static String of(SValue v) {
        if (v instanceof SValue.Const c) {
            return c.isNone() ? "None" : c.value().getClass().getSimpleName().toLowerCase() + " " + c.value();
        }
        if (v instanceof SValue.TensorV) {
            return "a tensor";
        }
        if (v instanceof SValue.DynScalar d) {
            return "a dynamic " + d.kind().name().toLowerCase();
        }
        if (v instanceof SValue.ListV l) {
            return "a list of " + l.elements().size();
        }
        if (v instanceof SValue.TupleV t) {
            return "a tuple of " + t.elements().size();
        }
        if (v instanceof SValue.ObjectV o) {
            return "an object of " + o.object().className();
        }
        if (v instanceof SValue.QualName q) {
            return q.name();
        }
        if (v instanceof SValue.RangeV) {
            return "a range";
        }
        if (v instanceof SValue.Device d) {
            return "device " + d.name();
        }
        return "a dict";
    }
}
