package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;
import io.mconv.torch.export.TypePromotion;

import java.util.List;

/**
 * Reductions, scans and orderings beyond sum/mean: max/min (all three overloads), amax/amin, argmax/argmin,
 * all/any, var/std (unbiased or correction), norm and linalg_vector_norm, prod, cumsum, topk, sort, argsort.
 * Axes go through {@link SymbolicContext#reduce}, which puts them where the target opset wants them.
 *
 * <p>Before: {@code _0, _1 = torch.max(x, 1, True)}. After: {@code ReduceMax(x) axes=[1] keepdims=1} and
 * {@code ArgMax(x) axis=1 keepdims=1}.
 * <p>Before: {@code torch.var(x, [1], True, False)}. After: {@code Div(ReduceSum(Mul(d, d)), n - 1)} with
 * {@code d = Sub(x, ReduceMean(x))}.
 * <p>Before: {@code torch.norm(x, 2, [1], False)}. After: {@code ReduceL2(x) axes=[1] keepdims=0}.
 */
final class ReductionSymbolics {

    private ReductionSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::max", 1, "self, dim=None, keepdim=False", (ctx, a) -> maxMin(ctx, a, true));
        r.register("aten::min", 1, "self, dim=None, keepdim=False", (ctx, a) -> maxMin(ctx, a, false));
        r.register("aten::amax", 1, "self, dim=[], keepdim=False", (ctx, a) -> amaxMin(ctx, a, "ReduceMax"));
        r.register("aten::amin", 1, "self, dim=[], keepdim=False", (ctx, a) -> amaxMin(ctx, a, "ReduceMin"));
        r.register("aten::argmax", 1, "self, dim=None, keepdim=False", (ctx, a) -> argMaxMin(ctx, a, "ArgMax"));
        r.register("aten::argmin", 1, "self, dim=None, keepdim=False", (ctx, a) -> argMaxMin(ctx, a, "ArgMin"));
        r.register("aten::all", 1, "self, dim=None, keepdim=False", (ctx, a) -> allAny(ctx, a, "ReduceMin"));
        r.register("aten::any", 1, "self, dim=None, keepdim=False", (ctx, a) -> allAny(ctx, a, "ReduceMax"));
        String varSignature = "self, dim=None, unbiased=None, keepdim=False, correction=None";
        r.register("aten::var", 1, varSignature, (ctx, a) -> tensor(variance(ctx, a)));
        r.register("aten::std", 1, varSignature, (ctx, a) -> tensor(ctx.op("Sqrt", List.of(variance(ctx, a)))));
        r.register("aten::var_mean", 1, varSignature, (ctx, a) -> new SValue.TupleV(List.of(
                tensor(variance(ctx, a)), tensor(meanOf(ctx, a)))));
        r.register("aten::std_mean", 1, varSignature, (ctx, a) -> new SValue.TupleV(List.of(
                tensor(ctx.op("Sqrt", List.of(variance(ctx, a)))), tensor(meanOf(ctx, a)))));
        r.register("aten::norm", 1, "self, p=2, dim=None, keepdim=False, dtype=None",
                (ctx, a) -> norm(ctx, a, a.get("p")));
        r.register("aten::linalg_vector_norm", 1, "self, ord=2, dim=None, keepdim=False, dtype=None",
                (ctx, a) -> norm(ctx, a, a.get("ord")));
        r.register("aten::frobenius_norm", 1, "self, dim=[], keepdim=False, dtype=None",
                (ctx, a) -> norm(ctx, a, new SValue.Const(2L)));
        r.register("aten::prod", 1, "self, dim=None, keepdim=False, dtype=None", ReductionSymbolics::prod);
        r.register("aten::cumsum", 1, "self, dim, dtype=None", ReductionSymbolics::cumsum);
        r.register("aten::topk", 1, "self, k, dim=-1, largest=True, sorted=True", ReductionSymbolics::topk);
        r.register("aten::sort", 1, "self, dim=-1, descending=False, stable=None", (ctx, a) -> sort(ctx, a));
        r.register("aten::argsort", 1, "self, dim=-1, descending=False, stable=None",
                (ctx, a) -> ((SValue.TupleV) sort(ctx, a)).elements().get(1));
    }

    private static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    /** The dims argument as normalised axes; None or an empty list means every axis (null). */
    private static long[] axesOf(SymbolicContext ctx, BoundArgs a, String name, Value x) {
        if (a.isNone(name)) {
            return null;
        }
        long[] dims = a.longs(name);
        if (dims.length == 0) {
            return null;
        }
        int rank = ctx.rank(x);
        long[] axes = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            axes[i] = Axes.normalize(dims[i], Math.max(rank, 1));
        }
        return axes;
    }

    /** ReduceMax/ReduceMin take no bool before opset 20, so bools go through int32 and back. */
    private static Value reduceOrdered(SymbolicContext ctx, String op, Value x, long[] axes, boolean keepDims) {
        if (ctx.dtype(x) != DataType.BOOL) {
            return ctx.reduce(op, x, axes, keepDims);
        }
        return ctx.cast(ctx.reduce(op, ctx.cast(x, DataType.INT32), axes, keepDims), DataType.BOOL);
    }

    /** max(x) over everything, max(x, dim, keepdim) as (values, indices), max(x, other) elementwise. */
    private static SValue maxMin(SymbolicContext ctx, BoundArgs a, boolean max) {
        Value x = a.tensor("self");
        SValue dim = a.get("dim");
        if (dim instanceof SValue.TensorV) {
            return ElementwiseSymbolics.binary(ctx, a.get("self"), dim, max ? "Max" : "Min");
        }
        String reduce = max ? "ReduceMax" : "ReduceMin";
        if (a.isNone("dim")) {
            return tensor(reduceOrdered(ctx, reduce, x, null, false));
        }
        long axis = Axes.normalize(a.longValue("dim"), Math.max(ctx.rank(x), 1));
        boolean keep = a.bool("keepdim");
        Value values = reduceOrdered(ctx, reduce, x, new long[] {axis}, keep);
        Value indices = argReduce(ctx, max ? "ArgMax" : "ArgMin", x, axis, keep);
        return new SValue.TupleV(List.of(tensor(values), tensor(indices)));
    }

    private static Value argReduce(SymbolicContext ctx, String op, Value x, long axis, boolean keep) {
        Value in = ctx.dtype(x) == DataType.BOOL ? ctx.cast(x, DataType.INT32) : x;
        return ctx.op(op, List.of(in), Attribute.ofInt("axis", axis), Attribute.ofInt("keepdims", keep ? 1 : 0));
    }

    private static SValue amaxMin(SymbolicContext ctx, BoundArgs a, String op) {
        Value x = a.tensor("self");
        return tensor(reduceOrdered(ctx, op, x, axesOf(ctx, a, "dim", x), a.bool("keepdim")));
    }

    /** argmax without dim is the index into the flattened tensor (shape [1]*rank with keepdim). */
    private static SValue argMaxMin(SymbolicContext ctx, BoundArgs a, String op) {
        Value x = a.tensor("self");
        if (!a.isNone("dim")) {
            long axis = Axes.normalize(a.longValue("dim"), Math.max(ctx.rank(x), 1));
            return tensor(argReduce(ctx, op, x, axis, a.bool("keepdim")));
        }
        Value index = argReduce(ctx, op, ctx.op("Reshape", List.of(x, ctx.longs(-1))), 0, false);
        if (a.bool("keepdim")) {
            long[] ones = new long[ctx.rank(x)];
            java.util.Arrays.fill(ones, 1);
            return tensor(ctx.op("Reshape", List.of(index, ctx.longs(ones))));
        }
        return tensor(index);
    }

    /** all = min of the truth values, any = max; torch keeps uint8 for uint8 input, bool otherwise. */
    private static SValue allAny(SymbolicContext ctx, BoundArgs a, String op) {
        Value x = a.tensor("self");
        DataType in = ctx.dtype(x);
        Value truth = in == DataType.BOOL ? x : ctx.op("Not", List.of(ctx.op("Equal",
                List.of(x, ctx.scalar(0, in)))));
        Value reduced = ctx.reduce(op, ctx.cast(truth, DataType.INT32), axesOf(ctx, a, "dim", x), a.bool("keepdim"));
        return tensor(ctx.cast(reduced, in == DataType.UINT8 ? DataType.UINT8 : DataType.BOOL));
    }

    private static Value requireFloating(SymbolicContext ctx, BoundArgs a, Value x) {
        if (!TypePromotion.isFloating(ctx.dtype(x))) {
            throw new SymbolicException(a.opName() + " needs a floating-point tensor but got " + ctx.dtype(x)
                    + " (torch refuses it too)");
        }
        return x;
    }

    /** var(x, unbiased) has a bool where the other overloads have dim. */
    private static long[] varianceAxes(SymbolicContext ctx, BoundArgs a, Value x) {
        if (a.get("dim") instanceof SValue.Const c && c.value() instanceof Boolean) {
            return null;
        }
        return axesOf(ctx, a, "dim", x);
    }

    private static double correctionOf(BoundArgs a) {
        if (!a.isNone("correction")) {
            return a.doubleValue("correction");
        }
        if (a.get("dim") instanceof SValue.Const c && c.value() instanceof Boolean unbiased) {
            return unbiased ? 1 : 0;
        }
        return a.isNone("unbiased") || a.bool("unbiased") ? 1 : 0;
    }

    private static Value meanOf(SymbolicContext ctx, BoundArgs a) {
        Value x = requireFloating(ctx, a, a.tensor("self"));
        return ctx.reduce("ReduceMean", x, varianceAxes(ctx, a, x), a.bool("keepdim"));
    }

    /** sum((x - mean)^2) / (n - correction), n the number of elements reduced (read at run time if unknown). */
    private static Value variance(SymbolicContext ctx, BoundArgs a) {
        Value x = requireFloating(ctx, a, a.tensor("self"));
        DataType type = ctx.dtype(x);
        long[] axes = varianceAxes(ctx, a, x);
        Value centered = ctx.op("Sub", List.of(x, ctx.reduce("ReduceMean", x, axes, true)));
        Value squares = ctx.reduce("ReduceSum", ctx.op("Mul", List.of(centered, centered)), axes,
                a.bool("keepdim"));
        Value count = ctx.op("Sub", List.of(ctx.cast(elementCount(ctx, x, axes), type),
                ctx.scalar(correctionOf(a), type)));
        return ctx.op("Div", List.of(squares, count));
    }

    private static Value elementCount(SymbolicContext ctx, Value x, long[] axes) {
        int rank = ctx.rank(x);
        Shape s = ctx.shapeOrNull(x);
        long known = 1;
        boolean allKnown = true;
        for (int i = 0; i < rank; i++) {
            if (axes == null || contains(axes, i)) {
                if (s.dim(i).isKnown()) {
                    known *= s.dim(i).value();
                } else {
                    allKnown = false;
                }
            }
        }
        if (allKnown) {
            return ctx.scalarLong(known);
        }
        Value shape = ctx.op("Shape", List.of(x));
        Value picked = axes == null ? shape : ctx.op("Gather", List.of(shape, ctx.longs(axes)),
                Attribute.ofInt("axis", 0));
        return ctx.reduce("ReduceProd", picked, new long[] {0}, false);
    }

    private static boolean contains(long[] axes, long axis) {
        for (long a : axes) {
            if (a == axis) {
                return true;
            }
        }
        return false;
    }

    /** Vector p-norms: L2 and L1 have their own reductions, inf/-inf are max/min of |x|, 0 counts non-zeros. */
    private static SValue norm(SymbolicContext ctx, BoundArgs a, SValue pArg) {
        Value x = a.tensor("self");
        if (!a.isNone("dtype")) {
            x = ctx.cast(x, ShapeSymbolics.dtypeOf(a.longValue("dtype")));
        }
        requireFloating(ctx, a, x);
        double p = pArg instanceof SValue.Const c && c.isNone() ? 2 : numberOf(a, pArg);
        long[] axes = axesOf(ctx, a, "dim", x);
        boolean keep = a.bool("keepdim");
        DataType type = ctx.dtype(x);
        Value out;
        if (p == 2) {
            out = ctx.reduce("ReduceL2", x, axes, keep);
        } else if (p == 1) {
            out = ctx.reduce("ReduceL1", x, axes, keep);
        } else if (p == Double.POSITIVE_INFINITY) {
            out = ctx.reduce("ReduceMax", ctx.op("Abs", List.of(x)), axes, keep);
        } else if (p == Double.NEGATIVE_INFINITY) {
            out = ctx.reduce("ReduceMin", ctx.op("Abs", List.of(x)), axes, keep);
        } else if (p == 0) {
            Value nonZero = ctx.cast(ctx.op("Not", List.of(ctx.op("Equal", List.of(x, ctx.scalar(0, type))))), type);
            out = ctx.reduce("ReduceSum", nonZero, axes, keep);
        } else {
            Value powered = ctx.op("Pow", List.of(ctx.op("Abs", List.of(x)), ctx.scalar(p, type)));
            out = ctx.op("Pow", List.of(ctx.reduce("ReduceSum", powered, axes, keep), ctx.scalar(1 / p, type)));
        }
        return tensor(out);
    }

    private static double numberOf(BoundArgs a, SValue v) {
        if (v instanceof SValue.Const c && c.value() instanceof Number n) {
            return n.doubleValue();
        }
        throw new SymbolicException(a.opName() + ": the order p must be a static number but is " + v);
    }

    /** Integer and bool products are int64 in torch, like sums. */
    private static SValue prod(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        if (!a.isNone("dtype")) {
            x = ctx.cast(x, ShapeSymbolics.dtypeOf(a.longValue("dtype")));
        } else if (!TypePromotion.isFloating(ctx.dtype(x))) {
            x = ctx.cast(x, DataType.INT64);
        }
        if (a.isNone("dim")) {
            return tensor(ctx.reduce("ReduceProd", x, null, false));
        }
        long axis = Axes.normalize(a.longValue("dim"), Math.max(ctx.rank(x), 1));
        return tensor(ctx.reduce("ReduceProd", x, new long[] {axis}, a.bool("keepdim")));
    }

    private static SValue cumsum(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        if (!a.isNone("dtype")) {
            x = ctx.cast(x, ShapeSymbolics.dtypeOf(a.longValue("dtype")));
        } else if (!TypePromotion.isFloating(ctx.dtype(x))) {
            x = ctx.cast(x, DataType.INT64);
        }
        long axis = Axes.normalize(a.longValue("dim"), Math.max(ctx.rank(x), 1));
        return tensor(ctx.op("CumSum", List.of(x, ctx.scalarLong(axis))));
    }

    private static SValue topk(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), Math.max(ctx.rank(x), 1));
        Value k = ctx.op("Reshape", List.of(ctx.cast(ctx.tensorOf(a.get("k"), DataType.INT64), DataType.INT64),
                ctx.longs(1)));
        List<Value> out = ctx.ops("TopK", 2, List.of(x, k), Attribute.ofInt("axis", axis),
                Attribute.ofInt("largest", a.bool("largest") ? 1 : 0), Attribute.ofInt("sorted", 1));
        return new SValue.TupleV(List.of(tensor(out.get(0)), tensor(out.get(1))));
    }

    /** sort is a TopK over the whole dim, largest first when descending. */
    private static SValue sort(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), Math.max(ctx.rank(x), 1));
        Value k = DimSizes.vector(ctx, x, axis);
        List<Value> out = ctx.ops("TopK", 2, List.of(x, k), Attribute.ofInt("axis", axis),
                Attribute.ofInt("largest", a.bool("descending") ? 1 : 0), Attribute.ofInt("sorted", 1));
        return new SValue.TupleV(List.of(tensor(out.get(0)), tensor(out.get(1))));
    }
}
