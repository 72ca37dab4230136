package io.mconv.torch.export;

import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.torch.archive.TorchDType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Python-level part of TorchScript: builtins ({@code int}, {@code len}, {@code isinstance}, {@code annotate},
 * ...), {@code ops.prim.*}, and the ATen operators that work on Python values rather than tensors
 * ({@code aten::size}, {@code aten::append}, {@code aten::__range_length}, ...). Results are static whenever the
 * inputs are; a dimension that is symbolic in the graph becomes a dynamic int.
 */
final class Builtins {

    /** The ATen names {@link #atenPython} answers (some only for non-tensor arguments). */
    static final java.util.Set<String> PYTHON_ATEN = java.util.Set.of("size", "dim", "len", "append", "list",
            "__getitem__", "format", "str", "warn", "__range_length", "__derive_index", "Int", "IntImplicit", "Float",
            "FloatImplicit", "Bool", "ScalarImplicit", "item", "__not__", "__is__", "__isnot__", "is_floating_point",
            "device", "numel", "keys", "values");

    /** The {@code ops.prim} names {@link #prim} lowers. */
    static final java.util.Set<String> PRIM = java.util.Set.of("NumToTensor", "unchecked_cast",
            "unchecked_unwrap_optional", "data", "profile", "Print", "RaiseException", "device", "dtype", "layout",
            "is_cuda", "is_quantized", "is_mkldnn", "is_sparse", "is_meta", "is_nested", "requires_grad",
            "Uninitialized", "min", "max", "shape", "TupleIndex", "abs");

    private final SymbolicContext ctx;
    private final ScalarArithmetic scalars;

    Builtins(SymbolicContext ctx, ScalarArithmetic scalars) {
        this.ctx = ctx;
        this.scalars = scalars;
    }

    // ---- ops.prim --------------------------------------------------------------------------------------------

    SValue prim(String name, List<SValue> args) {
        return switch (name) {
            case "NumToTensor" -> new SValue.TensorV(numToTensor(args.get(0)));
            case "unchecked_cast", "unchecked_unwrap_optional", "data", "profile", "Print" -> args.isEmpty()
                    ? SValue.Const.NONE : args.get(0);
            case "RaiseException" -> throw new SymbolicException("the model raises an exception here"
                    + (args.isEmpty() ? "" : ": " + Describe.of(args.get(0))));
            case "device" -> new SValue.Device("cpu");
            case "dtype" -> new SValue.Const((long) torchDType(tensor(args.get(0), "prim::dtype")).code());
            case "layout" -> new SValue.Const(0L);
            case "is_cuda", "is_quantized", "is_mkldnn", "is_sparse", "is_meta", "is_nested", "requires_grad"
                    -> new SValue.Const(Boolean.FALSE);
            case "Uninitialized" -> SValue.Const.NONE;
            case "min", "max" -> minMax(name, args);
            case "shape" -> size(tensor(args.get(0), "prim::shape"));
            case "TupleIndex" -> elements(args.get(0)).get((int) Interpreter.staticLong(args.get(1)));
            case "abs" -> abs(args.get(0));
            default -> throw new UnsupportedOpException("prim::" + name, null, "no lowering");
        };
    }

    private SValue abs(SValue v) {
        if (v instanceof SValue.Const c && c.value() instanceof Long l) {
            return new SValue.Const(Math.abs(l));
        }
        if (v instanceof SValue.Const c && c.value() instanceof Double d) {
            return new SValue.Const(Math.abs(d));
        }
        if (v instanceof SValue.DynScalar d) {
            return new SValue.DynScalar(ctx.op("Abs", List.of(d.value())), d.kind());
        }
        throw new SymbolicException("prim::abs of " + Describe.of(v));
    }

    private Value numToTensor(SValue v) {
        if (v instanceof SValue.DynScalar d) {
            return d.value();
        }
        if (v instanceof SValue.Const c && c.value() instanceof Long l) {
            return ctx.scalarLong(l);
        }
        if (v instanceof SValue.Const c && c.value() instanceof Double d) {
            return ctx.scalar(d, DataType.DOUBLE);
        }
        if (v instanceof SValue.Const c && c.value() instanceof Boolean b) {
            return ctx.scalar(b ? 1 : 0, DataType.BOOL);
        }
        throw new SymbolicException("NumToTensor of " + Describe.of(v));
    }

    private SValue minMax(String name, List<SValue> args) {
        List<SValue> items = args.size() == 1 ? elements(args.get(0)) : args;
        if (items.isEmpty()) {
            throw new SymbolicException(name + "() of an empty list");
        }
        SValue best = items.get(0);
        for (SValue item : items.subList(1, items.size())) {
            SValue less = scalars.apply("lt", List.of(item, best)).orElseThrow(() -> new SymbolicException(
                    name + "() of " + Describe.of(item)));
            Optional<Boolean> known = Interpreter.staticTruth(less);
            if (known.isEmpty()) {
                Value a = ctx.tensorOf(best, DataType.INT64);
                Value b = ctx.tensorOf(item, DataType.INT64);
                best = new SValue.DynScalar(ctx.op(name.equals("min") ? "Min" : "Max", List.of(a, b)),
                        SValue.DynScalar.Kind.INT);
            } else if (known.get() == name.equals("min")) {
                best = item;
            }
        }
        return best;
    }

    // ---- Python builtins -------------------------------------------------------------------------------------

    Optional<SValue> call(String name, List<SValue> args, List<SValue> kwValues) {
        return Optional.ofNullable(switch (name) {
            case "int" -> toInt(args.get(0));
            case "float" -> toFloat(args.get(0));
            case "bool" -> toBool(args.get(0));
            case "len" -> len(args.get(0));
            case "annotate", "unchecked_cast" -> args.get(1);
            case "uninitialized" -> SValue.Const.NONE;
            case "isinstance" -> new SValue.Const(isInstance(args.get(0), args.get(1)));
            case "min", "max" -> minMax(name, args);
            case "abs" -> abs(args.get(0));
            case "print" -> SValue.Const.NONE;
            case "str" -> args.get(0) instanceof SValue.Const c ? new SValue.Const(String.valueOf(c.value())) : null;
            case "list" -> new SValue.ListV(new ArrayList<>(elements(args.get(0))));
            case "tuple" -> new SValue.TupleV(elements(args.get(0)));
            default -> null;
        });
    }

    Optional<SValue> mathConstant(String name) {
        return switch (name) {
            case "pi" -> Optional.of(new SValue.Const(Math.PI));
            case "e" -> Optional.of(new SValue.Const(Math.E));
            case "inf" -> Optional.of(new SValue.Const(Double.POSITIVE_INFINITY));
            case "nan" -> Optional.of(new SValue.Const(Double.NaN));
            default -> Optional.empty();
        };
    }

    /** A one-element constant tensor (a folded NumToTensor, say) as its Python number, else null. */
    private static Object constantNumber(SValue v) {
        io.mconv.ir.Value value = v instanceof SValue.TensorV t ? t.value()
                : v instanceof SValue.DynScalar d ? d.value() : null;
        if (value == null || value.constValue() == null || value.constValue().elementCount() != 1) {
            return null;
        }
        io.mconv.ir.Tensor c = value.constValue();
        return switch (c.dataType()) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> c.toDoubleArray()[0];
            case BOOL -> c.toLongArray()[0] != 0;
            default -> c.toLongArray()[0];
        };
    }

    private SValue toInt(SValue v) {
        Object folded = constantNumber(v);
        if (folded != null) {
            v = new SValue.Const(folded);
        }
        if (v instanceof SValue.Const c && c.value() instanceof Number n) {
            return new SValue.Const(n.longValue());
        }
        if (v instanceof SValue.Const c && c.value() instanceof Boolean b) {
            return new SValue.Const(b ? 1L : 0L);
        }
        if (v instanceof SValue.Const c && c.value() instanceof String s) {
            return new SValue.Const(Long.parseLong(s.strip()));
        }
        return new SValue.DynScalar(ctx.cast(scalarOf(v), DataType.INT64), SValue.DynScalar.Kind.INT);
    }

    private SValue toFloat(SValue v) {
        Object folded = constantNumber(v);
        if (folded != null) {
            v = new SValue.Const(folded);
        }
        if (v instanceof SValue.Const c && c.value() instanceof Number n) {
            return new SValue.Const(n.doubleValue());
        }
        if (v instanceof SValue.Const c && c.value() instanceof String s) {
            return new SValue.Const(switch (s.strip()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> Double.parseDouble(s);
            });
        }
        return new SValue.DynScalar(ctx.cast(scalarOf(v), DataType.FLOAT), SValue.DynScalar.Kind.FLOAT);
    }

    private SValue toBool(SValue v) {
        Object folded = constantNumber(v);
        if (folded != null) {
            v = new SValue.Const(folded);
        }
        Optional<Boolean> known = Interpreter.staticTruth(v);
        if (known.isPresent()) {
            return new SValue.Const(known.get());
        }
        return new SValue.DynScalar(scalars.asBool(v), SValue.DynScalar.Kind.BOOL);
    }

    /** A tensor or dynamic scalar as a 0-d tensor. */
    private Value scalarOf(SValue v) {
        if (v instanceof SValue.DynScalar d) {
            return d.value();
        }
        if (v instanceof SValue.TensorV t) {
            return ctx.op("Reshape", List.of(t.value(), ctx.longs(new long[0])));
        }
        throw new SymbolicException("expected a number or a one-element tensor but got " + Describe.of(v));
    }

    private SValue len(SValue v) {
        if (v instanceof SValue.ListV || v instanceof SValue.TupleV) {
            return new SValue.Const((long) elements(v).size());
        }
        if (v instanceof SValue.DictV d) {
            return new SValue.Const((long) d.entries().size());
        }
        if (v instanceof SValue.TensorV t) {
            return dim(t.value(), 0);
        }
        throw new SymbolicException("len() of " + Describe.of(v));
    }

    private static boolean isInstance(SValue v, SValue type) {
        String t = type instanceof SValue.QualName q ? q.name() : "";
        if (type instanceof SValue.TupleV alternatives) {
            return alternatives.elements().stream().anyMatch(alt -> isInstance(v, alt));
        }
        return switch (t) {
            case "Tensor" -> v instanceof SValue.TensorV;
            case "int" -> v instanceof SValue.Const c && c.value() instanceof Long
                    || v instanceof SValue.DynScalar d && d.kind() == SValue.DynScalar.Kind.INT;
            case "float" -> v instanceof SValue.Const c && c.value() instanceof Double
                    || v instanceof SValue.DynScalar d && d.kind() == SValue.DynScalar.Kind.FLOAT;
            case "bool" -> v instanceof SValue.Const c && c.value() instanceof Boolean;
            case "str" -> v instanceof SValue.Const c && c.value() instanceof String;
            case "List", "list" -> v instanceof SValue.ListV;
            case "Tuple", "tuple" -> v instanceof SValue.TupleV;
            case "NoneType" -> v instanceof SValue.Const c && c.isNone();
            default -> false;
        };
    }

    boolean contains(SValue container, SValue item) {
        if (container instanceof SValue.DictV d && item instanceof SValue.Const c) {
            return d.entries().containsKey(c.value());
        }
        for (SValue e : elements(container)) {
            if (e.equals(item)) {
                return true;
            }
        }
        return false;
    }

    // ---- Python-level ATen ops -------------------------------------------------------------------------------

    /** The result of an ATen op that works on Python values, or empty when {@code name} is a tensor op. */
    Optional<SValue> atenPython(String name, List<SValue> args) {
        boolean tensorFirst = !args.isEmpty() && args.get(0) instanceof SValue.TensorV;
        SValue result = switch (name) {
            case "size" -> tensorFirst ? (args.size() == 1 ? size(tensorOf(args.get(0)))
                    : dim(tensorOf(args.get(0)), Interpreter.staticLong(args.get(1)))) : null;
            case "dim" -> tensorFirst ? new SValue.Const((long) ctx.rank(tensorOf(args.get(0)))) : null;
            case "len" -> len(args.get(0));
            case "append" -> append(args);
            case "list" -> args.get(0) instanceof SValue.TensorV ? null
                    : new SValue.ListV(new ArrayList<>(elements(args.get(0))));
            case "__getitem__" -> getItem(args.get(0), args.get(1));
            case "format", "str" -> new SValue.Const("");
            case "warn" -> SValue.Const.NONE;
            case "__range_length" -> rangeLength(args);
            case "__derive_index" -> scalars.apply("add", List.of(args.get(1),
                    scalars.apply("mul", List.of(args.get(0), args.get(2))).orElseThrow())).orElseThrow();
            case "Int", "IntImplicit" -> toInt(args.get(0));
            case "Float", "FloatImplicit" -> toFloat(args.get(0));
            case "Bool" -> toBool(args.get(0));
            case "ScalarImplicit", "item" -> tensorFirst ? toScalarOfDtype(tensorOf(args.get(0))) : args.get(0);
            case "__not__" -> scalars.not(args.get(0));
            case "__is__" -> new SValue.Const(args.get(0).equals(args.get(1)));
            case "__isnot__" -> new SValue.Const(!args.get(0).equals(args.get(1)));
            case "is_floating_point" -> tensorFirst ? new SValue.Const(ctx.dtype(tensorOf(args.get(0))) == DataType.FLOAT
                    || ctx.dtype(tensorOf(args.get(0))) == DataType.DOUBLE
                    || ctx.dtype(tensorOf(args.get(0))) == DataType.FLOAT16
                    || ctx.dtype(tensorOf(args.get(0))) == DataType.BFLOAT16) : null;
            case "device" -> args.get(0) instanceof SValue.Const c && c.value() instanceof String s
                    ? new SValue.Device(s) : null;
            case "numel" -> tensorFirst ? numel(tensorOf(args.get(0))) : null;
            case "min", "max" -> args.stream().noneMatch(a -> a instanceof SValue.TensorV) ? minMax(name, args)
                    : null;
            case "keys" -> args.get(0) instanceof SValue.DictV d ? new SValue.ListV(new ArrayList<>(d.entries()
                    .keySet().stream().map(k -> (SValue) new SValue.Const(k)).toList())) : null;
            case "values" -> args.get(0) instanceof SValue.DictV d ? new SValue.ListV(new ArrayList<>(d.entries()
                    .values())) : null;
            default -> null;
        };
        return Optional.ofNullable(result);
    }

    private SValue append(List<SValue> args) {
        if (!(args.get(0) instanceof SValue.ListV list)) {
            throw new SymbolicException("append to " + Describe.of(args.get(0)));
        }
        list.elements().add(args.get(1));
        return list;
    }

    private SValue getItem(SValue container, SValue index) {
        if (container instanceof SValue.DictV d && index instanceof SValue.Const c) {
            return d.entries().get(c.value());
        }
        List<SValue> items = elements(container);
        long i = Interpreter.staticLong(index);
        return items.get((int) (i < 0 ? i + items.size() : i));
    }

    private SValue rangeLength(List<SValue> args) {
        long lo = Interpreter.staticLong(args.get(0));
        long hi = Interpreter.staticLong(args.get(1));
        long step = Interpreter.staticLong(args.get(2));
        if (step > 0) {
            return new SValue.Const(lo < hi ? 1 + (hi - 1 - lo) / step : 0L);
        }
        return new SValue.Const(hi < lo ? 1 + (lo - 1 - hi) / -step : 0L);
    }

    private SValue toScalarOfDtype(Value t) {
        DataType dt = ctx.dtype(t);
        Value flat = ctx.op("Reshape", List.of(t, ctx.longs(new long[0])));
        SValue.DynScalar.Kind kind = dt == DataType.BOOL ? SValue.DynScalar.Kind.BOOL
                : isFloat(dt) ? SValue.DynScalar.Kind.FLOAT : SValue.DynScalar.Kind.INT;
        DataType target = kind == SValue.DynScalar.Kind.BOOL ? DataType.BOOL
                : kind == SValue.DynScalar.Kind.FLOAT ? DataType.FLOAT : DataType.INT64;
        return new SValue.DynScalar(ctx.cast(flat, target), kind);
    }

    private static boolean isFloat(DataType dt) {
        return dt == DataType.FLOAT || dt == DataType.DOUBLE || dt == DataType.FLOAT16 || dt == DataType.BFLOAT16;
    }

    private SValue numel(Value t) {
        Shape s = ctx.shapeOrNull(t);
        if (s != null && s.dims().stream().allMatch(Dim::isKnown)) {
            long n = 1;
            for (Dim d : s.dims()) {
                n *= d.value();
            }
            return new SValue.Const(n);
        }
        Value shape = ctx.op("Shape", List.of(t));
        return new SValue.DynScalar(ctx.reduce("ReduceProd", shape, new long[] {0}, false),
                SValue.DynScalar.Kind.INT);
    }

    // ---- sizes -----------------------------------------------------------------------------------------------

    /** {@code x.size()}: a list of static ints where the graph knows the dimension, dynamic ints elsewhere. */
    SValue size(Value t) {
        int rank = ctx.rank(t);
        List<SValue> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            dims.add(dim(t, i));
        }
        return new SValue.ListV(dims);
    }

    /** {@code x.size(d)}. */
    SValue dim(Value t, long d) {
        int rank = ctx.rank(t);
        long axis = d < 0 ? d + rank : d;
        if (axis < 0 || axis >= rank) {
            throw new SymbolicException("dimension " + d + " out of range for a tensor of rank " + rank);
        }
        Dim dim = ctx.shapeOrNull(t).dim((int) axis);
        if (dim.isKnown()) {
            return new SValue.Const(dim.value());
        }
        Value shape = ctx.op("Shape", List.of(t));
        Value item = ctx.op("Gather", List.of(shape, ctx.scalarLong(axis)), io.mconv.ir.Attribute.ofInt("axis", 0));
        return new SValue.DynScalar(item, SValue.DynScalar.Kind.INT);
    }

    private TorchDType torchDType(Value t) {
        DataType dt = ctx.dtype(t);
        return TorchDType.fromOnnx(dt).orElseThrow(() -> new SymbolicException("no torch dtype for " + dt));
    }

    private static Value tensor(SValue v, String what) {
        if (v instanceof SValue.TensorV t) {
            return t.value();
        }
        throw new SymbolicException(what + " expects a tensor but got " + Describe.of(v));
    }

    private static Value tensorOf(SValue v) {
        return tensor(v, "this operation");
    }

    static List<SValue> elements(SValue v) {
        if (v instanceof SValue.ListV l) {
            return l.elements();
        }
        if (v instanceof SValue.TupleV t) {
            return t.elements();
        }
        throw new SymbolicException("expected a list or tuple but got " + Describe.of(v));
    }
}
