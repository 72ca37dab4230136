package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;
import io.mconv.torch.export.TypePromotion;

import java.util.List;

/**
 * Elementwise arithmetic, comparisons and unary math, with torch's type promotion made explicit by Casts.
 *
 * <p>Before: {@code torch.add(x, y, alpha=2)} with x float32 and y an int64 0-d tensor.
 * After: {@code Add(x, Mul(Cast(y, float), 2.0))}.
 */
final class ElementwiseSymbolics {

    private ElementwiseSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::add", 1, "self, other, alpha=1", (ctx, a) -> arith(ctx, a, "Add", false));
        r.register("aten::sub", 1, "self, other, alpha=1", (ctx, a) -> arith(ctx, a, "Sub", false));
        r.register("aten::rsub", 1, "self, other, alpha=1", (ctx, a) -> arith(ctx, a, "Sub", true));
        r.register("aten::mul", 1, "self, other", (ctx, a) -> binary(ctx, a.get("self"), a.get("other"), "Mul"));
        r.register("aten::div", 1, "self, other, rounding_mode=None", ElementwiseSymbolics::div);
        r.register("aten::true_divide", 1, "self, other", ElementwiseSymbolics::div);
        r.register("aten::floor_divide", 1, "self, other", (ctx, a) -> floorDivide(ctx, a.get("self"),
                a.get("other")));
        r.register("aten::remainder", 1, "self, other", ElementwiseSymbolics::remainder);
        r.register("aten::pow", 1, "self, exponent", (ctx, a) -> pow(ctx, a));
        r.register("aten::maximum", 1, "self, other", (ctx, a) -> binary(ctx, a.get("self"), a.get("other"), "Max"));
        r.register("aten::minimum", 1, "self, other", (ctx, a) -> binary(ctx, a.get("self"), a.get("other"), "Min"));
        r.register("aten::eq", 1, "self, other", (ctx, a) -> compare(ctx, a, "Equal", false));
        r.register("aten::ne", 1, "self, other", (ctx, a) -> compare(ctx, a, "Equal", true));
        r.register("aten::lt", 1, "self, other", (ctx, a) -> compare(ctx, a, "Less", false));
        r.register("aten::gt", 1, "self, other", (ctx, a) -> compare(ctx, a, "Greater", false));
        r.register("aten::le", 1, "self, other", (ctx, a) -> compare(ctx, a, "LessOrEqual", false));
        r.register("aten::ge", 1, "self, other", (ctx, a) -> compare(ctx, a, "GreaterOrEqual", false));
        r.register("aten::logical_and", 1, "self, other", (ctx, a) -> logical(ctx, a, "And"));
        r.register("aten::logical_or", 1, "self, other", (ctx, a) -> logical(ctx, a, "Or"));
        r.register("aten::logical_xor", 1, "self, other", (ctx, a) -> logical(ctx, a, "Xor"));
        r.register("aten::__and__", 1, "self, other", (ctx, a) -> bitwiseOrLogical(ctx, a, "And", "BitwiseAnd"));
        r.register("aten::bitwise_and", 1, "self, other", (ctx, a) -> bitwiseOrLogical(ctx, a, "And", "BitwiseAnd"));
        r.register("aten::__or__", 1, "self, other", (ctx, a) -> bitwiseOrLogical(ctx, a, "Or", "BitwiseOr"));
        r.register("aten::bitwise_or", 1, "self, other", (ctx, a) -> bitwiseOrLogical(ctx, a, "Or", "BitwiseOr"));
        r.register("aten::logical_not", 1, "self", (ctx, a) -> tensor(ctx.op("Not",
                List.of(ctx.cast(a.tensor("self"), DataType.BOOL)))));
        r.register("aten::bitwise_not", 1, "self", (ctx, a) -> tensor(ctx.dtype(a.tensor("self")) == DataType.BOOL
                ? ctx.op("Not", List.of(a.tensor("self"))) : ctx.op("BitwiseNot", List.of(a.tensor("self")))));
        r.register("aten::where", 1, "condition, self=None, other=None", ElementwiseSymbolics::where);

        unary(r, "neg", "Neg");
        unary(r, "abs", "Abs");
        unary(r, "exp", "Exp");
        unary(r, "sin", "Sin");
        unary(r, "cos", "Cos");
        unary(r, "tan", "Tan");
        unary(r, "asin", "Asin");
        unary(r, "acos", "Acos");
        unary(r, "atan", "Atan");
        unary(r, "sinh", "Sinh");
        unary(r, "cosh", "Cosh");
        unary(r, "floor", "Floor");
        unary(r, "ceil", "Ceil");
        unary(r, "round", "Round");
        unary(r, "sign", "Sign");
        unary(r, "erf", "Erf");
        floatUnary(r, "sqrt", "Sqrt");
        floatUnary(r, "log", "Log");
        floatUnary(r, "reciprocal", "Reciprocal");
        r.register("aten::rsqrt", 1, "self", (ctx, a) -> {
            Value x = toFloat(ctx, a.tensor("self"));
            return tensor(ctx.op("Reciprocal", List.of(ctx.op("Sqrt", List.of(x)))));
        });
        r.register("aten::log2", 1, "self", (ctx, a) -> logBase(ctx, a.tensor("self"), Math.log(2)));
        r.register("aten::log10", 1, "self", (ctx, a) -> logBase(ctx, a.tensor("self"), Math.log(10)));
        r.register("aten::log1p", 1, "self", (ctx, a) -> {
            Value x = toFloat(ctx, a.tensor("self"));
            return tensor(ctx.op("Log", List.of(ctx.op("Add", List.of(x, ctx.scalar(1, ctx.dtype(x)))))));
        });
        r.register("aten::square", 1, "self", (ctx, a) -> tensor(ctx.op("Mul", List.of(a.tensor("self"),
                a.tensor("self")))));
        r.register("aten::clamp", 1, "self, min=None, max=None", ElementwiseSymbolics::clamp);
        r.register("aten::clip", 1, "self, min=None, max=None", ElementwiseSymbolics::clamp);
        r.register("aten::clamp_min", 1, "self, min", ElementwiseSymbolics::clamp);
        r.register("aten::clamp_max", 1, "self, max", (ctx, a) -> clampValues(ctx, a.tensor("self"),
                SValue.Const.NONE, a.get("max")));
    }

    static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    private static void unary(SymbolicRegistry r, String aten, String onnx) {
        r.register("aten::" + aten, 1, "self", (ctx, a) -> tensor(ctx.op(onnx, List.of(a.tensor("self")))));
    }

    /** Ops that torch computes in floating point even for integer inputs. */
    private static void floatUnary(SymbolicRegistry r, String aten, String onnx) {
        r.register("aten::" + aten, 1, "self", (ctx, a) -> tensor(ctx.op(onnx,
                List.of(toFloat(ctx, a.tensor("self"))))));
    }

    static Value toFloat(SymbolicContext ctx, Value x) {
        return TypePromotion.isFloating(ctx.dtype(x)) ? x : ctx.cast(x, DataType.FLOAT);
    }

    private static SValue logBase(SymbolicContext ctx, Value x, double lnBase) {
        Value f = toFloat(ctx, x);
        return tensor(ctx.op("Div", List.of(ctx.op("Log", List.of(f)), ctx.scalar(lnBase, ctx.dtype(f)))));
    }

    /** A binary op on two operands after type promotion. */
    static SValue binary(SymbolicContext ctx, SValue a, SValue b, String onnx) {
        List<Value> ab = TypePromotion.promote(ctx, List.of(a, b));
        return tensor(ctx.op(onnx, ab));
    }

    private static SValue arith(SymbolicContext ctx, BoundArgs a, String onnx, boolean reversed) {
        SValue self = a.get("self");
        SValue other = a.get("other");
        List<Value> ab = TypePromotion.promote(ctx, List.of(self, other));
        Value x = ab.get(0);
        Value y = ab.get(1);
        double alpha = a.doubleValue("alpha");
        if (reversed) {
            // rsub(self, other, alpha) = other - alpha * self
            if (alpha != 1) {
                x = ctx.op("Mul", List.of(x, ctx.scalar(alpha, ctx.dtype(x))));
            }
            return tensor(ctx.op(onnx, List.of(y, x)));
        }
        if (alpha != 1) {
            y = ctx.op("Mul", List.of(y, ctx.scalar(alpha, ctx.dtype(y))));
        }
        return tensor(ctx.op(onnx, List.of(x, y)));
    }

    private static SValue div(SymbolicContext ctx, BoundArgs a) {
        SValue self = a.get("self");
        SValue other = a.get("other");
        String mode = a.opName().equals("aten::div") && !a.isNone("rounding_mode") ? a.string("rounding_mode")
                : null;
        DataType common = TypePromotion.resultType(ctx, List.of(self, other));
        if ("floor".equals(mode)) {
            return floorDivide(ctx, self, other);
        }
        if ("trunc".equals(mode)) {
            List<Value> ab = TypePromotion.promote(ctx, List.of(self, other));
            if (!TypePromotion.isFloating(common)) {
                return tensor(ctx.op("Div", ab)); // integer Div truncates
            }
            Value q = ctx.op("Div", ab);
            Value truncated = ctx.op("Mul", List.of(ctx.op("Sign", List.of(q)), ctx.op("Floor",
                    List.of(ctx.op("Abs", List.of(q))))));
            return tensor(truncated);
        }
        // true division: integers divide as floats
        DataType type = TypePromotion.isFloating(common) ? common : DataType.FLOAT;
        Value x = ctx.cast(ctx.tensorOf(self, type), type);
        Value y = ctx.cast(ctx.tensorOf(other, type), type);
        return tensor(ctx.op("Div", List.of(x, y)));
    }

    private static SValue floorDivide(SymbolicContext ctx, SValue self, SValue other) {
        DataType common = TypePromotion.resultType(ctx, List.of(self, other));
        if (TypePromotion.isFloating(common)) {
            List<Value> ab = TypePromotion.promote(ctx, List.of(self, other));
            return tensor(ctx.op("Floor", List.of(ctx.op("Div", ab))));
        }
        // integer floor division: compute in double to round toward negative infinity, then back
        Value x = ctx.cast(ctx.tensorOf(self, common), DataType.DOUBLE);
        Value y = ctx.cast(ctx.tensorOf(other, common), DataType.DOUBLE);
        return tensor(ctx.cast(ctx.op("Floor", List.of(ctx.op("Div", List.of(x, y)))), common));
    }

    private static SValue remainder(SymbolicContext ctx, BoundArgs a) {
        DataType common = TypePromotion.resultType(ctx, List.of(a.get("self"), a.get("other")));
        List<Value> ab = TypePromotion.promote(ctx, List.of(a.get("self"), a.get("other")));
        if (!TypePromotion.isFloating(common)) {
            return tensor(ctx.op("Mod", ab, Attribute.ofInt("fmod", 0)));
        }
        // Python's modulo for floats: x - floor(x / y) * y (sign of the divisor)
        Value q = ctx.op("Floor", List.of(ctx.op("Div", ab)));
        return tensor(ctx.op("Sub", List.of(ab.get(0), ctx.op("Mul", List.of(q, ab.get(1))))));
    }

    private static SValue pow(SymbolicContext ctx, BoundArgs a) {
        SValue base = a.get("self");
        SValue exponent = a.get("exponent");
        if (exponent instanceof SValue.Const c && c.value() instanceof Number n && n.doubleValue() == 2
                && base instanceof SValue.TensorV t) {
            return tensor(ctx.op("Mul", List.of(t.value(), t.value())));
        }
        DataType common = TypePromotion.resultType(ctx, List.of(base, exponent));
        Value x = ctx.cast(ctx.tensorOf(base, common), common);
        Value y = ctx.tensorOf(exponent, common);
        return tensor(ctx.op("Pow", List.of(x, y)));
    }

    private static SValue compare(SymbolicContext ctx, BoundArgs a, String onnx, boolean negate) {
        List<Value> ab = TypePromotion.promote(ctx, List.of(a.get("self"), a.get("other")));
        Value r = ctx.op(onnx, ab);
        return tensor(negate ? ctx.op("Not", List.of(r)) : r);
    }

    private static SValue logical(SymbolicContext ctx, BoundArgs a, String onnx) {
        Value x = ctx.cast(ctx.tensorOf(a.get("self"), DataType.BOOL), DataType.BOOL);
        Value y = ctx.cast(ctx.tensorOf(a.get("other"), DataType.BOOL), DataType.BOOL);
        return tensor(ctx.op(onnx, List.of(x, y)));
    }

    private static SValue bitwiseOrLogical(SymbolicContext ctx, BoundArgs a, String logical, String bitwise) {
        DataType common = TypePromotion.resultType(ctx, List.of(a.get("self"), a.get("other")));
        if (common == DataType.BOOL) {
            return logical(ctx, a, logical);
        }
        if (TypePromotion.isFloating(common)) {
            throw new SymbolicException(a.opName() + " is not defined for floating-point tensors");
        }
        return tensor(ctx.op(bitwise, TypePromotion.promote(ctx, List.of(a.get("self"), a.get("other")))));
    }

    private static SValue where(SymbolicContext ctx, BoundArgs a) {
        if (a.isNone("self")) {
            throw new SymbolicException("where(condition) with one argument (nonzero indices) is not supported");
        }
        Value cond = ctx.cast(a.tensor("condition"), DataType.BOOL);
        List<Value> xy = TypePromotion.promote(ctx, List.of(a.get("self"), a.get("other")));
        return tensor(ctx.op("Where", List.of(cond, xy.get(0), xy.get(1))));
    }

    private static SValue clamp(SymbolicContext ctx, BoundArgs a) {
        SValue max = a.opName().equals("aten::clamp_min") ? SValue.Const.NONE : a.get("max");
        return clampValues(ctx, a.tensor("self"), a.get("min"), max);
    }

    private static SValue clampValues(SymbolicContext ctx, Value x, SValue min, SValue max) {
        DataType type = ctx.dtype(x);
        boolean noMin = min instanceof SValue.Const c && c.isNone();
        boolean noMax = max instanceof SValue.Const c && c.isNone();
        if (min instanceof SValue.TensorV || max instanceof SValue.TensorV) {
            Value out = x;
            if (!noMin) {
                out = ctx.op("Max", List.of(out, ctx.cast(ctx.tensorOf(min, type), type)));
            }
            if (!noMax) {
                out = ctx.op("Min", List.of(out, ctx.cast(ctx.tensorOf(max, type), type)));
            }
            return tensor(out);
        }
        Value lo = noMin ? null : ctx.tensorOf(min, type);
        Value hi = noMax ? null : ctx.tensorOf(max, type);
        return tensor(ctx.op("Clip", hi == null ? (lo == null ? List.of(x) : List.of(x, lo))
                : java.util.Arrays.asList(x, lo, hi)));
    }
}
