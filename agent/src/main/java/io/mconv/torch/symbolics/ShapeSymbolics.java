package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.torch.archive.TorchDType;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;
import io.mconv.torch.export.TypePromotion;

import java.util.ArrayList;
import java.util.List;

/**
 * Reshaping, joining, slicing, reductions and dtype conversion.
 *
 * <p>Before: {@code torch.flatten(x, 1)}. After: {@code Flatten(x) axis=1}.
 * <p>Before: {@code torch.view(x, [_0, -1])} with a dynamic {@code _0}. After:
 * {@code Reshape(x, Concat(Unsqueeze(_0), [-1]))}.
 * <p>Before: {@code torch.slice(x, 1, 0, 9223372036854775807, 2)}. After: {@code Slice(x, [0], [INT64_MAX], [1], [2])}.
 */
final class ShapeSymbolics {

    /** torch's "to the end" sentinel for slice ends. */
    private static final long END = Long.MAX_VALUE;

    private ShapeSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        for (String name : List.of("contiguous", "clone", "detach", "alias", "lift_fresh", "_unsafe_view_copy")) {
            r.register("aten::" + name, 1, "self, memory_format=None", (ctx, a) -> a.get("self"));
        }
        r.register("aten::flatten", 1, "self, start_dim=0, end_dim=-1", ShapeSymbolics::flatten);
        r.register("aten::view", 1, "self, size", ShapeSymbolics::reshape);
        r.register("aten::reshape", 1, "self, shape", (ctx, a) -> reshapeTo(ctx, a.tensor("self"), a.get("shape")));
        r.register("aten::_unsafe_view", 1, "self, size", ShapeSymbolics::reshape);
        r.register("aten::view_as", 1, "self, other", (ctx, a) -> tensor(ctx.op("Reshape",
                List.of(a.tensor("self"), ctx.op("Shape", List.of(a.tensor("other")))))));
        r.register("aten::reshape_as", 1, "self, other", (ctx, a) -> tensor(ctx.op("Reshape",
                List.of(a.tensor("self"), ctx.op("Shape", List.of(a.tensor("other")))))));
        r.register("aten::permute", 1, "self, dims", ShapeSymbolics::permute);
        r.register("aten::transpose", 1, "self, dim0, dim1", ShapeSymbolics::transpose);
        r.register("aten::t", 1, "self", (ctx, a) -> ctx.rank(a.tensor("self")) < 2 ? a.get("self")
                : tensor(ctx.op("Transpose", List.of(a.tensor("self")), Attribute.ofInts("perm", 1, 0))));
        r.register("aten::unsqueeze", 1, "self, dim", (ctx, a) -> {
            long axis = Axes.normalize(a.longValue("dim"), ctx.rank(a.tensor("self")) + 1);
            return tensor(ctx.op("Unsqueeze", List.of(a.tensor("self"), ctx.longs(axis))));
        });
        r.register("aten::squeeze", 1, "self, dim=None", ShapeSymbolics::squeeze);
        r.register("aten::cat", 1, "tensors, dim=0", (ctx, a) -> concat(ctx, a.list("tensors"), a.longValue("dim")));
        r.register("aten::concat", 1, "tensors, dim=0", (ctx, a) -> concat(ctx, a.list("tensors"), a.longValue("dim")));
        r.register("aten::stack", 1, "tensors, dim=0", ShapeSymbolics::stack);
        r.register("aten::select", 1, "self, dim, index", ShapeSymbolics::select);
        r.register("aten::slice", 1, "self, dim=0, start=None, end=None, step=1", ShapeSymbolics::slice);
        r.register("aten::chunk", 1, "self, chunks, dim=0", ShapeSymbolics::chunk);
        r.register("aten::split", 1, "self, split_size, dim=0", ShapeSymbolics::split);
        r.register("aten::split_with_sizes", 1, "self, split_sizes, dim=0", (ctx, a) -> splitSizes(ctx,
                a.tensor("self"), a.longs("split_sizes"), a.longValue("dim")));
        r.register("aten::unbind", 1, "self, dim=0", ShapeSymbolics::unbind);
        r.register("aten::expand", 1, "self, size, implicit=False", ShapeSymbolics::expand);
        r.register("aten::expand_as", 1, "self, other", (ctx, a) -> tensor(ctx.op("Expand",
                List.of(a.tensor("self"), ctx.op("Shape", List.of(a.tensor("other")))))));
        r.register("aten::mean", 1, "self, dim=None, keepdim=False, dtype=None", (ctx, a) -> reduce(ctx, a,
                "ReduceMean"));
        r.register("aten::sum", 1, "self, dim=None, keepdim=False, dtype=None", (ctx, a) -> reduce(ctx, a,
                "ReduceSum"));
        r.register("aten::to", 1, "self, a=None, b=None, c=None, d=None, e=None, dtype=None, layout=None, "
                + "device=None, pin_memory=None, non_blocking=False, copy=False, memory_format=None",
                ShapeSymbolics::to);
        r.register("aten::type_as", 1, "self, other", (ctx, a) -> tensor(ctx.cast(a.tensor("self"),
                ctx.dtype(a.tensor("other")))));
        r.register("aten::float", 1, "self, memory_format=None", (ctx, a) -> tensor(ctx.cast(a.tensor("self"),
                DataType.FLOAT)));
        r.register("aten::long", 1, "self, memory_format=None", (ctx, a) -> tensor(ctx.cast(a.tensor("self"),
                DataType.INT64)));
        r.register("aten::int", 1, "self, memory_format=None", (ctx, a) -> tensor(ctx.cast(a.tensor("self"),
                DataType.INT32)));
        r.register("aten::bool", 1, "self, memory_format=None", (ctx, a) -> tensor(ctx.cast(a.tensor("self"),
                DataType.BOOL)));
        r.register("aten::half", 1, "self, memory_format=None", (ctx, a) -> tensor(ctx.cast(a.tensor("self"),
                DataType.FLOAT16)));
    }

    static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    private static SValue flatten(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        if (rank == 0) {
            return tensor(ctx.op("Reshape", List.of(x, ctx.longs(1))));
        }
        long start = Axes.normalize(a.longValue("start_dim"), rank);
        long end = Axes.normalize(a.longValue("end_dim"), rank);
        if (start == end) {
            return a.get("self");
        }
        if (end == rank - 1 && start == 1) {
            return tensor(ctx.op("Flatten", List.of(x), Attribute.ofInt("axis", 1)));
        }
        // keep the dims outside [start, end] (0 copies the input's dim in Reshape) and merge the rest
        Shape s = ctx.shapeOrNull(x);
        List<SValue> dims = new ArrayList<>();
        for (int i = 0; i < start; i++) {
            dims.add(dimValue(ctx, x, s, i));
        }
        dims.add(new SValue.Const(-1L));
        for (int i = (int) end + 1; i < rank; i++) {
            dims.add(dimValue(ctx, x, s, i));
        }
        return tensor(ctx.op("Reshape", List.of(x, ctx.tensorOf(new SValue.ListV(dims), DataType.INT64))));
    }

    private static SValue dimValue(SymbolicContext ctx, Value x, Shape s, int i) {
        Dim d = s.dim(i);
        if (d.isKnown()) {
            return new SValue.Const(d.value());
        }
        Value item = ctx.op("Gather", List.of(ctx.op("Shape", List.of(x)), ctx.scalarLong(i)),
                Attribute.ofInt("axis", 0));
        return new SValue.DynScalar(item, SValue.DynScalar.Kind.INT);
    }

    private static SValue reshape(SymbolicContext ctx, BoundArgs a) {
        return reshapeTo(ctx, a.tensor("self"), a.get("size"));
    }

    private static SValue reshapeTo(SymbolicContext ctx, Value x, SValue shape) {
        return tensor(ctx.op("Reshape", List.of(x, ctx.tensorOf(shape, DataType.INT64))));
    }

    private static SValue permute(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        long[] dims = a.longs("dims");
        long[] perm = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            perm[i] = Axes.normalize(dims[i], rank);
        }
        return tensor(ctx.op("Transpose", List.of(x), Attribute.ofInts("perm", perm)));
    }

    private static SValue transpose(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        int d0 = (int) Axes.normalize(a.longValue("dim0"), rank);
        int d1 = (int) Axes.normalize(a.longValue("dim1"), rank);
        if (d0 == d1) {
            return a.get("self");
        }
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[d0] = d1;
        perm[d1] = d0;
        return tensor(ctx.op("Transpose", List.of(x), Attribute.ofInts("perm", perm)));
    }

    private static SValue squeeze(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        if (a.isNone("dim")) {
            return tensor(ctx.op("Squeeze", List.of(x)));
        }
        int rank = ctx.rank(x);
        long axis = Axes.normalize(a.longValue("dim"), rank);
        Shape s = ctx.shapeOrNull(x);
        if (s.dim((int) axis).isKnown() && s.dim((int) axis).value() != 1) {
            return a.get("self"); // torch leaves a dim that is not 1 alone; ONNX would fail
        }
        return tensor(ctx.op("Squeeze", List.of(x, ctx.longs(axis))));
    }

    private static SValue concat(SymbolicContext ctx, List<SValue> items, long dim) {
        List<Value> tensors = TypePromotion.promote(ctx, items);
        if (tensors.size() == 1) {
            return tensor(tensors.get(0));
        }
        long axis = Axes.normalize(dim, ctx.rank(tensors.get(0)));
        return tensor(ctx.op("Concat", tensors, Attribute.ofInt("axis", axis)));
    }

    private static SValue stack(SymbolicContext ctx, BoundArgs a) {
        List<Value> tensors = TypePromotion.promote(ctx, a.list("tensors"));
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(tensors.get(0)) + 1);
        List<Value> expanded = new ArrayList<>();
        for (Value t : tensors) {
            expanded.add(ctx.op("Unsqueeze", List.of(t, ctx.longs(axis))));
        }
        return tensor(expanded.size() == 1 ? expanded.get(0)
                : ctx.op("Concat", expanded, Attribute.ofInt("axis", axis)));
    }

    private static SValue select(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
        Value index = ctx.tensorOf(a.get("index"), DataType.INT64);
        return tensor(ctx.op("Gather", List.of(x, index), Attribute.ofInt("axis", axis)));
    }

    private static SValue slice(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
        SValue start = a.isNone("start") ? new SValue.Const(0L) : a.get("start");
        SValue end = a.isNone("end") ? new SValue.Const(END) : a.get("end");
        if (start instanceof SValue.Const s && Long.valueOf(0).equals(s.value()) && end instanceof SValue.Const e
                && Long.valueOf(END).equals(e.value()) && a.longValue("step") == 1) {
            return a.get("self");
        }
        Value starts = ctx.tensorOf(new SValue.ListV(new ArrayList<>(List.of(start))), DataType.INT64);
        Value ends = ctx.tensorOf(new SValue.ListV(new ArrayList<>(List.of(end))), DataType.INT64);
        return tensor(ctx.op("Slice", List.of(x, starts, ends, ctx.longs(axis), ctx.longs(a.longValue("step")))));
    }

    private static SValue chunk(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long chunks = a.longValue("chunks");
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
        long size = knownDim(ctx, x, axis, a.opName());
        long each = (size + chunks - 1) / chunks;
        return splitSizes(ctx, x, sizesOf(size, each), axis);
    }

    private static SValue split(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
        if (a.get("split_size") instanceof SValue.ListV) {
            return splitSizes(ctx, x, a.longs("split_size"), axis);
        }
        long size = knownDim(ctx, x, axis, a.opName());
        return splitSizes(ctx, x, sizesOf(size, a.longValue("split_size")), axis);
    }

    private static long[] sizesOf(long total, long each) {
        List<Long> sizes = new ArrayList<>();
        for (long done = 0; done < total; done += each) {
            sizes.add(Math.min(each, total - done));
        }
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }

    private static SValue splitSizes(SymbolicContext ctx, Value x, long[] sizes, long dim) {
        long axis = Axes.normalize(dim, ctx.rank(x));
        List<Value> parts = ctx.ops("Split", sizes.length, List.of(x, ctx.longs(sizes)), Attribute.ofInt("axis",
                axis));
        List<SValue> out = new ArrayList<>();
        parts.forEach(p -> out.add(tensor(p)));
        return new SValue.ListV(out);
    }

    private static SValue unbind(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
        long size = knownDim(ctx, x, axis, a.opName());
        long[] ones = new long[(int) size];
        java.util.Arrays.fill(ones, 1);
        List<Value> parts = size == 1 ? List.of(x) : ctx.ops("Split", (int) size, List.of(x, ctx.longs(ones)),
                Attribute.ofInt("axis", axis));
        List<SValue> out = new ArrayList<>();
        for (Value p : parts) {
            out.add(tensor(ctx.op("Squeeze", List.of(p, ctx.longs(axis)))));
        }
        return new SValue.ListV(out);
    }

    private static long knownDim(SymbolicContext ctx, Value x, long axis, String op) {
        Shape s = ctx.shapeOrNull(x);
        if (s == null || !s.dim((int) axis).isKnown()) {
            throw new SymbolicException(op + " needs the size of dim " + axis + " to be known");
        }
        return s.dim((int) axis).value();
    }

    /** torch's -1 ("keep this dim") becomes 1, which ONNX's broadcasting Expand keeps as the input's size. */
    private static SValue expand(SymbolicContext ctx, BoundArgs a) {
        List<SValue> sizes = new ArrayList<>();
        for (SValue s : a.list("size")) {
            sizes.add(s instanceof SValue.Const c && Long.valueOf(-1).equals(c.value()) ? new SValue.Const(1L) : s);
        }
        return tensor(ctx.op("Expand", List.of(a.tensor("self"), ctx.tensorOf(new SValue.ListV(sizes),
                DataType.INT64))));
    }

    private static SValue reduce(SymbolicContext ctx, BoundArgs a, String onnx) {
        Value x = a.tensor("self");
        if (!a.isNone("dtype")) {
            x = ctx.cast(x, dtypeOf(a.longValue("dtype")));
        } else if (onnx.equals("ReduceSum") && !TypePromotion.isFloating(ctx.dtype(x))) {
            x = ctx.cast(x, DataType.INT64); // torch sums integers and bools as int64
        }
        if (a.isNone("dim")) {
            return tensor(ctx.reduce(onnx, x, null, false));
        }
        int rank = ctx.rank(x);
        long[] dims = a.longs("dim");
        long[] axes = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            axes[i] = Axes.normalize(dims[i], rank);
        }
        return tensor(ctx.reduce(onnx, x, axes, a.bool("keepdim")));
    }

    static DataType dtypeOf(long code) {
        return TorchDType.fromCode(code).flatMap(TorchDType::onnxType).orElseThrow(() -> new SymbolicException(
                "dtype code " + code + " has no ONNX type"));
    }

    /**
     * The overloads of {@code aten::to}: {@code to(x, dtype, ...)}, {@code to(x, device, dtype, ...)},
     * {@code to(x, other_tensor, ...)}; devices are ignored, the first int is the dtype.
     */
    private static SValue to(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        if (!a.isNone("dtype")) {
            return tensor(ctx.cast(x, dtypeOf(a.longValue("dtype"))));
        }
        for (String slot : List.of("a", "b", "c")) {
            SValue v = a.get(slot);
            if (v instanceof SValue.TensorV other) {
                return tensor(ctx.cast(x, ctx.dtype(other.value())));
            }
            if (v instanceof SValue.Const c && c.value() instanceof Long code) {
                return tensor(ctx.cast(x, dtypeOf(code)));
            }
        }
        return a.get("self");
    }
}
