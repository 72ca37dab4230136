package io.mconv.torch.export;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Value;

import java.util.List;
import java.util.Optional;

/**
 * Python arithmetic and comparisons on ints, floats and bools ({@code aten::add.int}, {@code aten::floordiv},
 * {@code aten::lt.int}, ...). Static operands are computed here with Python's semantics (true division gives a
 * float, floor division and modulo round toward negative infinity); a dynamic operand turns the operation into
 * ONNX nodes on 0-d tensors. Calls with a tensor operand are not scalar arithmetic and are left to the symbolics.
 */
final class ScalarArithmetic {

    static final List<String> OPS = List.of("add", "sub", "mul", "div", "floordiv", "remainder", "pow",
            "neg", "eq", "ne", "lt", "le", "gt", "ge", "__and__", "__or__", "__xor__", "floor", "ceil");

    private final SymbolicContext ctx;

    ScalarArithmetic(SymbolicContext ctx) {
        this.ctx = ctx;
    }

    /** The result when {@code op} is scalar arithmetic on these operands, else empty. */
    Optional<SValue> apply(String op, List<SValue> args) {
        args = args.stream().map(ScalarArithmetic::staticIfConstant).toList();
        if (!OPS.contains(op) || args.isEmpty() || !args.stream().allMatch(ScalarArithmetic::isScalar)) {
            return Optional.empty();
        }
        if (op.equals("eq") || op.equals("ne")) {
            if (args.size() == 2 && args.get(0) instanceof SValue.Const a && args.get(1) instanceof SValue.Const b
                    && !(a.value() instanceof Number && b.value() instanceof Number)) {
                boolean equal = java.util.Objects.equals(a.value(), b.value());
                return Optional.of(new SValue.Const(op.equals("eq") == equal));
            }
        }
        if (args.stream().allMatch(a -> a instanceof SValue.Const c && (c.value() instanceof Number
                || c.value() instanceof Boolean))) {
            return Optional.of(staticResult(op, args));
        }
        if (args.stream().anyMatch(a -> a instanceof SValue.Const c && !(c.value() instanceof Number
                || c.value() instanceof Boolean))) {
            return Optional.empty();
        }
        return Optional.of(dynamicResult(op, args));
    }

    /** A dynamic scalar whose value turned out constant (folded at export) as a static one. */
    static SValue staticIfConstant(SValue v) {
        if (v instanceof SValue.DynScalar d && d.value().constValue() != null
                && d.value().constValue().elementCount() == 1) {
            io.mconv.ir.Tensor t = d.value().constValue();
            return switch (d.kind()) {
                case INT -> new SValue.Const(t.toLongArray()[0]);
                case FLOAT -> new SValue.Const(t.toDoubleArray()[0]);
                case BOOL -> new SValue.Const(t.toLongArray()[0] != 0);
            };
        }
        return v;
    }

    private static boolean isScalar(SValue v) {
        return v instanceof SValue.Const || v instanceof SValue.DynScalar;
    }

    // ---- static ----------------------------------------------------------------------------------------------

    private static SValue staticResult(String op, List<SValue> args) {
        Object a = number(args.get(0));
        if (args.size() == 1) {
            return switch (op) {
                case "neg" -> new SValue.Const(a instanceof Long l ? (Object) (-l) : (Object) (-(Double) a));
                case "floor" -> new SValue.Const((long) Math.floor(((Number) a).doubleValue()));
                case "ceil" -> new SValue.Const((long) Math.ceil(((Number) a).doubleValue()));
                default -> throw new SymbolicException(op + " takes two operands");
            };
        }
        Object b = number(args.get(1));
        boolean ints = a instanceof Long && b instanceof Long;
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return switch (op) {
            case "add" -> ints ? new SValue.Const((Long) a + (Long) b) : new SValue.Const(x + y);
            case "sub" -> ints ? new SValue.Const((Long) a - (Long) b) : new SValue.Const(x - y);
            case "mul" -> ints ? new SValue.Const((Long) a * (Long) b) : new SValue.Const(x * y);
            case "div" -> new SValue.Const(x / y);
            case "floordiv" -> ints ? new SValue.Const(Math.floorDiv((Long) a, nonZero((Long) b)))
                    : new SValue.Const(Math.floor(x / y));
            case "remainder" -> ints ? new SValue.Const(Math.floorMod((Long) a, nonZero((Long) b)))
                    : new SValue.Const(x - Math.floor(x / y) * y);
            case "pow" -> ints && (Long) b >= 0 ? new SValue.Const((long) Math.pow(x, y))
                    : new SValue.Const(Math.pow(x, y));
            case "eq" -> new SValue.Const(x == y);
            case "ne" -> new SValue.Const(x != y);
            case "lt" -> new SValue.Const(x < y);
            case "le" -> new SValue.Const(x <= y);
            case "gt" -> new SValue.Const(x > y);
            case "ge" -> new SValue.Const(x >= y);
            case "__and__" -> bitwise(args, (p, q) -> p & q);
            case "__or__" -> bitwise(args, (p, q) -> p | q);
            case "__xor__" -> bitwise(args, (p, q) -> p ^ q);
            default -> throw new SymbolicException(op + " takes one operand");
        };
    }

    private static long nonZero(long v) {
        if (v == 0) {
            throw new SymbolicException("integer division by zero at export time");
        }
        return v;
    }

    private static SValue bitwise(List<SValue> args, java.util.function.LongBinaryOperator f) {
        Object a = ((SValue.Const) args.get(0)).value();
        Object b = ((SValue.Const) args.get(1)).value();
        if (a instanceof Boolean p && b instanceof Boolean q) {
            return new SValue.Const(f.applyAsLong(p ? 1 : 0, q ? 1 : 0) != 0);
        }
        return new SValue.Const(f.applyAsLong(((Number) number(args.get(0))).longValue(),
                ((Number) number(args.get(1))).longValue()));
    }

    /** A Const's number, with bools as ints (Python's bool is an int). */
    private static Object number(SValue v) {
        Object o = ((SValue.Const) v).value();
        if (o instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return o;
    }

    // ---- dynamic ---------------------------------------------------------------------------------------------

    private SValue dynamicResult(String op, List<SValue> args) {
        boolean anyFloat = args.stream().anyMatch(a -> a instanceof SValue.DynScalar d
                && d.kind() == SValue.DynScalar.Kind.FLOAT || a instanceof SValue.Const c && c.value() instanceof Double);
        DataType numeric = anyFloat ? DataType.FLOAT : DataType.INT64;
        SValue.DynScalar.Kind numericKind = anyFloat ? SValue.DynScalar.Kind.FLOAT : SValue.DynScalar.Kind.INT;
        if (args.size() == 1) {
            Value x = ctx.tensorOf(args.get(0), numeric);
            return switch (op) {
                case "neg" -> new SValue.DynScalar(ctx.op("Neg", List.of(x)), numericKind);
                case "floor", "ceil" -> new SValue.DynScalar(ctx.cast(ctx.op(op.equals("floor") ? "Floor" : "Ceil",
                        List.of(ctx.cast(x, DataType.FLOAT))), DataType.INT64), SValue.DynScalar.Kind.INT);
                default -> throw new SymbolicException(op + " takes two operands");
            };
        }
        if (op.equals("__and__") || op.equals("__or__") || op.equals("__xor__")) {
            Value a = ctx.tensorOf(args.get(0), DataType.BOOL);
            Value b = ctx.tensorOf(args.get(1), DataType.BOOL);
            String onnx = op.equals("__and__") ? "And" : op.equals("__or__") ? "Or" : "Xor";
            return new SValue.DynScalar(ctx.op(onnx, List.of(a, b)), SValue.DynScalar.Kind.BOOL);
        }
        if (op.equals("div") || op.equals("floordiv")) {
            Value a = ctx.tensorOf(args.get(0), DataType.FLOAT);
            Value b = ctx.tensorOf(args.get(1), DataType.FLOAT);
            Value q = ctx.op("Div", List.of(a, b));
            if (op.equals("div")) {
                return new SValue.DynScalar(q, SValue.DynScalar.Kind.FLOAT);
            }
            Value floored = ctx.op("Floor", List.of(q));
            return anyFloat ? new SValue.DynScalar(floored, SValue.DynScalar.Kind.FLOAT)
                    : new SValue.DynScalar(ctx.cast(floored, DataType.INT64), SValue.DynScalar.Kind.INT);
        }
        Value a = ctx.tensorOf(args.get(0), numeric);
        Value b = ctx.tensorOf(args.get(1), numeric);
        return switch (op) {
            case "add" -> new SValue.DynScalar(ctx.op("Add", List.of(a, b)), numericKind);
            case "sub" -> new SValue.DynScalar(ctx.op("Sub", List.of(a, b)), numericKind);
            case "mul" -> new SValue.DynScalar(ctx.op("Mul", List.of(a, b)), numericKind);
            case "pow" -> new SValue.DynScalar(ctx.op("Pow", List.of(a, b)), numericKind);
            case "remainder" -> new SValue.DynScalar(ctx.op("Mod", List.of(a, b),
                    Attribute.ofInt("fmod", anyFloat ? 1 : 0)), numericKind);
            case "eq" -> bool(ctx.op("Equal", List.of(a, b)));
            case "ne" -> bool(ctx.op("Not", List.of(ctx.op("Equal", List.of(a, b)))));
            case "lt" -> bool(ctx.op("Less", List.of(a, b)));
            case "le" -> bool(ctx.op("LessOrEqual", List.of(a, b)));
            case "gt" -> bool(ctx.op("Greater", List.of(a, b)));
            case "ge" -> bool(ctx.op("GreaterOrEqual", List.of(a, b)));
            default -> throw new SymbolicException(op + " on dynamic scalars is not supported");
        };
    }

    private static SValue bool(Value v) {
        return new SValue.DynScalar(v, SValue.DynScalar.Kind.BOOL);
    }

    // ---- logic -----------------------------------------------------------------------------------------------

    SValue not(SValue v) {
        Optional<Boolean> known = Interpreter.staticTruth(v);
        if (known.isPresent()) {
            return new SValue.Const(!known.get());
        }
        return bool(ctx.op("Not", List.of(asBool(v))));
    }

    SValue and(SValue a, SValue b) {
        return logic(a, b, true);
    }

    SValue or(SValue a, SValue b) {
        return logic(a, b, false);
    }

    private SValue logic(SValue a, SValue b, boolean isAnd) {
        Optional<Boolean> ka = Interpreter.staticTruth(a);
        Optional<Boolean> kb = Interpreter.staticTruth(b);
        if (ka.isPresent() && kb.isPresent()) {
            return new SValue.Const(isAnd ? ka.get() && kb.get() : ka.get() || kb.get());
        }
        if (ka.isPresent()) {
            return ka.get() == isAnd ? b : new SValue.Const(!isAnd);
        }
        if (kb.isPresent()) {
            return kb.get() == isAnd ? a : new SValue.Const(!isAnd);
        }
        return bool(ctx.op(isAnd ? "And" : "Or", List.of(asBool(a), asBool(b))));
    }

    /** A dynamic truth value as a 0-d bool tensor (a tensor condition must hold one element, as in Python). */
    Value asBool(SValue v) {
        if (v instanceof SValue.DynScalar d) {
            return ctx.cast(d.value(), DataType.BOOL);
        }
        if (v instanceof SValue.TensorV t) {
            Value flat = ctx.op("Reshape", List.of(t.value(), ctx.longs(new long[0])));
            return ctx.cast(flat, DataType.BOOL);
        }
        throw new SymbolicException("expected a condition but got " + Describe.of(v));
    }
}
