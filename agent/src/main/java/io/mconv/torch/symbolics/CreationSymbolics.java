package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;
import io.mconv.torch.export.TypePromotion;

import java.util.ArrayList;
import java.util.List;

/**
 * Tensors made from sizes and numbers: zeros/ones/full/empty and their _like and new_ forms, arange, linspace,
 * tensor, scalar_tensor. Dtype arguments are c10 ScalarType codes; None means torch's default (float32 for
 * zeros, the fill value's Python type for full, the input's type for _like and new_).
 *
 * <p>Before: {@code torch.zeros([_0, 4], dtype=6, layout=None, device=torch.device("cpu"), pin_memory=False)}.
 * After: {@code ConstantOfShape(Concat(Unsqueeze(_0), [4])) value=[0.0]}.
 * <p>Before: {@code torch.arange(2, _1, 2, dtype=None, ...)}. After: {@code Range(2, Cast(_1), 2)} (int64).
 * <p>Before: {@code torch.tensor([1.5, 2.5], dtype=None, device=None, requires_grad=False)}. After: a float32
 * constant of shape [2].
 */
final class CreationSymbolics {

    private static final String FACTORY = "dtype=None, layout=None, device=None, pin_memory=None";

    private CreationSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::zeros", 1, "size, " + FACTORY, (ctx, a) -> filled(ctx, a, a.get("size"), 0));
        r.register("aten::ones", 1, "size, " + FACTORY, (ctx, a) -> filled(ctx, a, a.get("size"), 1));
        // empty's contents are unspecified; zeros is one valid choice and keeps the model deterministic
        r.register("aten::empty", 1, "size, " + FACTORY + ", memory_format=None",
                (ctx, a) -> filled(ctx, a, a.get("size"), 0));
        r.register("aten::full", 1, "size, fill_value, " + FACTORY, (ctx, a) -> full(ctx, a, shapeOf(ctx,
                a.get("size")), explicitOr(a, defaultTypeOf(ctx, a.get("fill_value")))));
        r.register("aten::zeros_like", 1, "self, " + FACTORY + ", memory_format=None",
                (ctx, a) -> filledLike(ctx, a, 0));
        r.register("aten::ones_like", 1, "self, " + FACTORY + ", memory_format=None",
                (ctx, a) -> filledLike(ctx, a, 1));
        r.register("aten::empty_like", 1, "self, " + FACTORY + ", memory_format=None",
                (ctx, a) -> filledLike(ctx, a, 0));
        r.register("aten::full_like", 1, "self, fill_value, " + FACTORY + ", memory_format=None",
                (ctx, a) -> full(ctx, a, ctx.op("Shape", List.of(a.tensor("self"))),
                        explicitOr(a, ctx.dtype(a.tensor("self")))));
        r.register("aten::new_zeros", 1, "self, size, " + FACTORY, (ctx, a) -> filledNew(ctx, a, 0));
        r.register("aten::new_ones", 1, "self, size, " + FACTORY, (ctx, a) -> filledNew(ctx, a, 1));
        r.register("aten::new_empty", 1, "self, size, " + FACTORY, (ctx, a) -> filledNew(ctx, a, 0));
        r.register("aten::new_full", 1, "self, size, fill_value, " + FACTORY, (ctx, a) -> full(ctx, a,
                shapeOf(ctx, a.get("size")), explicitOr(a, ctx.dtype(a.tensor("self")))));
        r.register("aten::fill", 1, "self, value", (ctx, a) -> {
            Value x = a.tensor("self");
            Value v = ctx.cast(ctx.tensorOf(a.get("value"), ctx.dtype(x)), ctx.dtype(x));
            return tensor(ctx.op("Expand", List.of(v, ctx.op("Shape", List.of(x)))));
        });
        r.register("aten::arange", 1, "start, end=None, step=None, " + FACTORY, CreationSymbolics::arange);
        r.register("aten::linspace", 1, "start, end, steps, " + FACTORY, CreationSymbolics::linspace);
        r.register("aten::scalar_tensor", 1, "s, " + FACTORY, (ctx, a) -> {
            DataType type = explicitOr(a, DataType.FLOAT);
            return tensor(ctx.cast(ctx.tensorOf(a.get("s"), type), type));
        });
        r.register("aten::tensor", 1, "data, dtype=None, device=None, requires_grad=False",
                CreationSymbolics::tensorFromData);
    }

    private static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    /** The dtype argument's type, or {@code fallback} when it is None. */
    private static DataType explicitOr(BoundArgs a, DataType fallback) {
        return a.isNone("dtype") ? fallback : ShapeSymbolics.dtypeOf(a.longValue("dtype"));
    }

    /** A size argument (static or dynamic int list, one int, or a shape tensor) as a 1-D int64 tensor. */
    private static Value shapeOf(SymbolicContext ctx, SValue size) {
        if (size instanceof SValue.Const c && c.value() instanceof Long n) {
            return ctx.longs(n);
        }
        return ctx.cast(ctx.tensorOf(size, DataType.INT64), DataType.INT64);
    }

    private static SValue filled(SymbolicContext ctx, BoundArgs a, SValue size, double value) {
        return constantOfShape(ctx, shapeOf(ctx, size), value, explicitOr(a, DataType.FLOAT));
    }

    private static SValue filledLike(SymbolicContext ctx, BoundArgs a, double value) {
        Value x = a.tensor("self");
        return constantOfShape(ctx, ctx.op("Shape", List.of(x)), value, explicitOr(a, ctx.dtype(x)));
    }

    private static SValue filledNew(SymbolicContext ctx, BoundArgs a, double value) {
        return constantOfShape(ctx, shapeOf(ctx, a.get("size")), value, explicitOr(a, ctx.dtype(a.tensor("self"))));
    }

    private static SValue constantOfShape(SymbolicContext ctx, Value shape, double value, DataType type) {
        return tensor(ctx.op("ConstantOfShape", List.of(shape), Attribute.ofTensor("value",
                FillValue.of(value, type))));
    }

    /** full with a static fill value is a ConstantOfShape; a run-time value is expanded to the shape. */
    private static SValue full(SymbolicContext ctx, BoundArgs a, Value shape, DataType type) {
        SValue fill = a.get("fill_value");
        if (fill instanceof SValue.Const c && (c.value() instanceof Number || c.value() instanceof Boolean)) {
            double v = c.value() instanceof Boolean b ? (b ? 1 : 0) : ((Number) c.value()).doubleValue();
            return constantOfShape(ctx, shape, v, type);
        }
        Value v = ctx.cast(ctx.tensorOf(fill, type), type);
        return tensor(ctx.op("Expand", List.of(v, shape)));
    }

    /** torch's dtype for a Python number: bool, int64 for ints, float32 (the default dtype) for floats. */
    private static DataType defaultTypeOf(SymbolicContext ctx, SValue v) {
        if (v instanceof SValue.TensorV t) {
            return ctx.dtype(t.value());
        }
        return TypePromotion.resultType(ctx, List.of(v));
    }

    /**
     * arange(end), arange(start, end), arange(start, end, step); the result is int64 when every bound is an int,
     * float32 when one is a float, unless dtype says otherwise. Range computes in the target type when ONNX's
     * Range supports it (so float bounds with an integer dtype are computed in double and truncated, as torch).
     */
    private static SValue arange(SymbolicContext ctx, BoundArgs a) {
        SValue start = a.isNone("end") ? new SValue.Const(0L) : a.get("start");
        SValue end = a.isNone("end") ? a.get("start") : a.get("end");
        SValue step = a.isNone("step") ? new SValue.Const(1L) : a.get("step");
        DataType natural = TypePromotion.resultType(ctx, List.of(start, end, step));
        DataType target = explicitOr(a, natural);
        DataType compute = switch (target) {
            case FLOAT, DOUBLE, INT16, INT32, INT64 -> TypePromotion.isFloating(natural)
                    && !TypePromotion.isFloating(target) ? DataType.DOUBLE : target;
            default -> TypePromotion.isFloating(natural) || TypePromotion.isFloating(target) ? DataType.FLOAT
                    : DataType.INT64;
        };
        if (step instanceof SValue.Const c && c.value() instanceof Number n && n.doubleValue() == 0) {
            throw new SymbolicException("arange with step 0 (torch raises 'step must be nonzero')");
        }
        List<Value> bounds = new ArrayList<>();
        for (SValue b : List.of(start, end, step)) {
            bounds.add(ctx.cast(scalarOf(ctx, b, compute), compute));
        }
        return tensor(ctx.cast(ctx.op("Range", bounds), target));
    }

    /** A 0-d tensor of a number, a dynamic scalar or a one-element tensor (Range wants scalars). */
    private static Value scalarOf(SymbolicContext ctx, SValue v, DataType type) {
        Value t = ctx.tensorOf(v, type);
        var shape = ctx.shapeOrNull(t);
        if (shape != null && shape.rank() == 0) {
            return t;
        }
        return ctx.op("Reshape", List.of(t, ctx.longs()));
    }

    /**
     * linspace as torch computes it: the first half of the points counts up from start, the second half down
     * from end ({@code end - (steps - 1 - i) * step}), so the last point is exactly end.
     */
    private static SValue linspace(SymbolicContext ctx, BoundArgs a) {
        DataType target = explicitOr(a, DataType.FLOAT);
        DataType compute = target == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        Value steps = scalarOf(ctx, a.get("steps"), DataType.INT64);
        if (a.get("steps") instanceof SValue.Const c && c.value() instanceof Long n && n < 0) {
            throw new SymbolicException("linspace with a negative number of steps (" + n + ")");
        }
        Value start = ctx.cast(scalarOf(ctx, a.get("start"), compute), compute);
        Value end = ctx.cast(scalarOf(ctx, a.get("end"), compute), compute);
        Value stepsF = ctx.cast(steps, compute);
        Value one = ctx.scalar(1, compute);
        Value intervals = ctx.op("Max", List.of(ctx.op("Sub", List.of(stepsF, one)), one));
        Value step = ctx.op("Div", List.of(ctx.op("Sub", List.of(end, start)), intervals));
        Value i = ctx.cast(ctx.op("Range", List.of(ctx.scalarLong(0), steps, ctx.scalarLong(1))), compute);
        Value up = ctx.op("Add", List.of(start, ctx.op("Mul", List.of(i, step))));
        Value fromEnd = ctx.op("Sub", List.of(ctx.op("Sub", List.of(stepsF, one)), i));
        Value down = ctx.op("Sub", List.of(end, ctx.op("Mul", List.of(fromEnd, step))));
        Value half = ctx.op("Div", List.of(stepsF, ctx.scalar(2, compute)));
        Value firstHalf = ctx.op("Less", List.of(i, ctx.op("Floor", List.of(half))));
        return tensor(ctx.cast(ctx.op("Where", List.of(firstHalf, up, down)), target));
    }

    /**
     * torch.tensor of a number or a (nested) list of numbers: a constant when every element is static, else the
     * elements are concatenated at run time. Without dtype: bool, int64 for ints, float32 as soon as one is a float.
     */
    private static SValue tensorFromData(SymbolicContext ctx, BoundArgs a) {
        List<Long> dims = new ArrayList<>();
        List<SValue> flat = new ArrayList<>();
        flatten(a.get("data"), 0, dims, flat);
        DataType type = explicitOr(a, flat.isEmpty() ? DataType.FLOAT : TypePromotion.resultType(ctx, flat));
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        boolean allStatic = flat.stream().allMatch(v -> v instanceof SValue.Const);
        if (allStatic) {
            return tensor(ctx.cast(staticTensor(ctx, flat, shape, type), type));
        }
        List<Value> parts = new ArrayList<>();
        for (SValue v : flat) {
            parts.add(ctx.op("Reshape", List.of(ctx.cast(ctx.tensorOf(v, type), type), ctx.longs(1))));
        }
        Value joined = parts.size() == 1 ? parts.get(0) : ctx.op("Concat", parts, Attribute.ofInt("axis", 0));
        return tensor(ctx.op("Reshape", List.of(joined, ctx.longs(shape))));
    }

    private static void flatten(SValue v, int depth, List<Long> dims, List<SValue> flat) {
        if (v instanceof SValue.ListV || v instanceof SValue.TupleV) {
            List<SValue> items = v instanceof SValue.ListV l ? l.elements() : ((SValue.TupleV) v).elements();
            if (dims.size() == depth) {
                dims.add((long) items.size());
            } else if (dims.get(depth) != items.size()) {
                throw new SymbolicException("torch.tensor of a ragged nested list (lengths " + dims.get(depth)
                        + " and " + items.size() + " at depth " + depth + ")");
            }
            for (SValue item : items) {
                flatten(item, depth + 1, dims, flat);
            }
            return;
        }
        if (v instanceof SValue.TensorV) {
            throw new SymbolicException("torch.tensor of a tensor element is not supported; use torch.stack");
        }
        flat.add(v);
    }

    /** The static elements as an initializer: int64 for integer and bool targets, float32 or double else. */
    private static Value staticTensor(SymbolicContext ctx, List<SValue> flat, long[] shape, DataType type) {
        double[] values = new double[flat.size()];
        for (int i = 0; i < values.length; i++) {
            Object o = ((SValue.Const) flat.get(i)).value();
            if (o instanceof Boolean b) {
                values[i] = b ? 1 : 0;
            } else if (o instanceof Number n) {
                values[i] = n.doubleValue();
            } else {
                throw new SymbolicException("torch.tensor of " + o + " (not a number)");
            }
        }
        if (type == DataType.DOUBLE) {
            return ctx.constant(Tensor.ofDoubles("tensor", shape, values));
        }
        if (TypePromotion.isFloating(type)) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return ctx.constant(Tensor.ofFloats("tensor", shape, f));
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            // ints straight from the Long, not through the double, which would round those beyond 2^53
            l[i] = ((SValue.Const) flat.get(i)).value() instanceof Long n ? n : (long) values[i];
        }
        return ctx.constant(Tensor.ofLongs("tensor", shape, l));
    }
}
