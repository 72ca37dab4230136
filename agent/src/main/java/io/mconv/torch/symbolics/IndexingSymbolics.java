package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading and writing elements by index: index_select, gather, advanced indexing ({@code x[idx]},
 * {@code x[mask]}), masked_fill, masked_select, scatter, embedding, narrow.
 *
 * <p>Before: {@code torch.index(table, [torch.view(idx, [-1])])} (swin_t's relative position bias).
 * After: {@code Gather(table, Reshape(idx, [-1])) axis=0}.
 * <p>Before: {@code torch.index(x, [None, mask])} with a bool mask. After:
 * {@code Gather(x, Squeeze(NonZero(mask), [0])) axis=1}.
 * <p>Before: {@code torch.masked_fill(scores, mask, -inf)}. After: {@code Where(mask, -inf, scores)}.
 */
final class IndexingSymbolics {

    private static final long END = Long.MAX_VALUE;

    private IndexingSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::index_select", 1, "self, dim, index", IndexingSymbolics::indexSelect);
        r.register("aten::gather", 1, "self, dim, index, sparse_grad=False", (ctx, a) -> {
            Value x = a.tensor("self");
            long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
            return tensor(ctx.op("GatherElements", List.of(x, ctx.cast(a.tensor("index"), DataType.INT64)),
                    Attribute.ofInt("axis", axis)));
        });
        r.register("aten::index", 1, "self, indices", IndexingSymbolics::index);
        r.register("aten::masked_fill", 1, "self, mask, value", IndexingSymbolics::maskedFill);
        r.register("aten::masked_select", 1, "self, mask", IndexingSymbolics::maskedSelect);
        r.register("aten::scatter", 1, "self, dim, index, src, reduce=None", (ctx, a) -> scatter(ctx, a,
                a.isNone("reduce") ? null : a.string("reduce")));
        r.register("aten::scatter_add", 1, "self, dim, index, src", (ctx, a) -> scatter(ctx, a, "add"));
        r.register("aten::embedding", 1, "weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False",
                (ctx, a) -> tensor(ctx.op("Gather", List.of(a.tensor("weight"), a.tensor("indices")),
                        Attribute.ofInt("axis", 0))));
        r.register("aten::narrow", 1, "self, dim, start, length", IndexingSymbolics::narrow);
    }

    private static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    private static boolean isMask(SymbolicContext ctx, Value v) {
        DataType t = ctx.dtype(v);
        return t == DataType.BOOL || t == DataType.UINT8; // torch still treats uint8 indices as masks
    }

    private static SValue indexSelect(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), Math.max(ctx.rank(x), 1));
        Value index = a.tensor("index");
        if (ctx.rank(index) == 0) {
            index = ctx.op("Reshape", List.of(index, ctx.longs(1))); // a 0-d index still keeps the dim
        }
        return tensor(ctx.op("Gather", List.of(x, index), Attribute.ofInt("axis", axis)));
    }

    /**
     * Advanced indexing with a list of optional index tensors, one per leading dim (None: the whole dim).
     * One integer index is a Gather on its dim; one bool mask selects the positions NonZero finds; several
     * integer indices are broadcast into one linear index over their dims, moved to the front and merged.
     */
    private static SValue index(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        List<SValue> items = a.list("indices");
        if (items.size() > rank) {
            throw new SymbolicException(a.opName() + ": " + items.size() + " indices for a tensor of rank " + rank);
        }
        List<Integer> positions = new ArrayList<>();
        List<Value> indices = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SValue item = items.get(i);
            if (item instanceof SValue.TensorV t) {
                positions.add(i);
                indices.add(t.value());
            } else if (!(item instanceof SValue.Const c && c.isNone())) {
                throw new SymbolicException(a.opName() + ": index " + i + " must be a tensor or None but is "
                        + item);
            }
        }
        if (indices.isEmpty()) {
            return a.get("self");
        }
        boolean anyMask = indices.stream().anyMatch(v -> isMask(ctx, v));
        if (anyMask) {
            if (indices.size() > 1) {
                throw new SymbolicException(a.opName() + ": a bool mask together with other index tensors is not "
                        + "supported (only x[mask] or x[:, mask] forms)");
            }
            return maskIndex(ctx, x, positions.get(0), indices.get(0));
        }
        if (indices.size() == 1) {
            return tensor(ctx.op("Gather", List.of(x, indices.get(0)), Attribute.ofInt("axis", positions.get(0))));
        }
        return multiIndex(ctx, x, positions, indices);
    }

    /** x[..., mask, ...]: the masked dims merge into one and the positions where mask is true are gathered. */
    private static SValue maskIndex(SymbolicContext ctx, Value x, int position, Value mask) {
        int maskRank = ctx.rank(mask);
        int rank = ctx.rank(x);
        if (position + maskRank > rank) {
            throw new SymbolicException("aten::index: a mask of rank " + maskRank + " at dim " + position
                    + " does not fit a tensor of rank " + rank);
        }
        Value flatMask = maskRank == 1 ? mask : ctx.op("Reshape", List.of(mask, ctx.longs(-1)));
        Value flatX = x;
        if (maskRank != 1) {
            List<Value> shape = new ArrayList<>();
            if (position > 0) {
                shape.add(DimSizes.range(ctx, x, 0, position));
            }
            shape.add(ctx.longs(-1));
            if (position + maskRank < rank) {
                shape.add(DimSizes.range(ctx, x, position + maskRank, rank));
            }
            flatX = ctx.op("Reshape", List.of(x, shape.size() == 1 ? shape.get(0)
                    : ctx.op("Concat", shape, Attribute.ofInt("axis", 0))));
        }
        Value where = ctx.op("Squeeze", List.of(ctx.op("NonZero", List.of(flatMask)), ctx.longs(0)));
        return tensor(ctx.op("Gather", List.of(flatX, where), Attribute.ofInt("axis", position)));
    }

    /**
     * x[i, j] with several integer index tensors: torch broadcasts them and puts the result dims where the
     * indexed dims were when those are adjacent, at the front when they are not. Negative indices wrap first,
     * since the linear index {@code i * size_j + j} would be wrong with them.
     */
    private static SValue multiIndex(SymbolicContext ctx, Value x, List<Integer> positions, List<Value> indices) {
        int rank = ctx.rank(x);
        int k = positions.size();
        boolean adjacent = positions.get(k - 1) - positions.get(0) == k - 1;
        List<Long> perm = new ArrayList<>();
        positions.forEach(p -> perm.add((long) p));
        for (int i = 0; i < rank; i++) {
            if (!positions.contains(i)) {
                perm.add((long) i);
            }
        }
        boolean identity = true;
        for (int i = 0; i < rank; i++) {
            identity &= perm.get(i) == i;
        }
        Value moved = identity ? x : ctx.op("Transpose", List.of(x), Attribute.ofInts("perm",
                perm.stream().mapToLong(Long::longValue).toArray()));
        Value linear = null;
        int indexRank = 0;
        for (int j = 0; j < k; j++) {
            Value size = DimSizes.scalar(ctx, moved, j);
            Value idx = ctx.cast(indices.get(j), DataType.INT64);
            indexRank = Math.max(indexRank, ctx.rank(idx));
            Value wrapped = ctx.op("Mod", List.of(ctx.op("Add", List.of(idx, size)), size),
                    Attribute.ofInt("fmod", 0));
            linear = linear == null ? wrapped
                    : ctx.op("Add", List.of(ctx.op("Mul", List.of(linear, size)), wrapped));
        }
        List<Value> flatShape = new ArrayList<>(List.of(ctx.longs(-1)));
        if (k < rank) {
            flatShape.add(DimSizes.range(ctx, moved, k, rank));
        }
        Value flat = ctx.op("Reshape", List.of(moved, flatShape.size() == 1 ? flatShape.get(0)
                : ctx.op("Concat", flatShape, Attribute.ofInt("axis", 0))));
        Value gathered = ctx.op("Gather", List.of(flat, linear), Attribute.ofInt("axis", 0));
        int first = positions.get(0);
        if (!adjacent || first == 0) {
            return tensor(gathered);
        }
        // the broadcast index dims go back to where the indexed dims were
        int outRank = indexRank + rank - k;
        long[] back = new long[outRank];
        int o = 0;
        for (int i = 0; i < first; i++) {
            back[o++] = indexRank + i;
        }
        for (int i = 0; i < indexRank; i++) {
            back[o++] = i;
        }
        for (int i = indexRank + first; i < outRank; i++) {
            back[o++] = i;
        }
        return tensor(ctx.op("Transpose", List.of(gathered), Attribute.ofInts("perm", back)));
    }

    private static SValue maskedFill(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        DataType type = ctx.dtype(x);
        SValue value = a.get("value");
        if (value instanceof SValue.TensorV t && ctx.rank(t.value()) != 0) {
            throw new SymbolicException(a.opName() + " only supports a 0-dimensional value tensor, but got one of "
                    + "rank " + ctx.rank(t.value()));
        }
        Value fill = ctx.cast(ctx.tensorOf(value, type), type);
        Value mask = ctx.cast(a.tensor("mask"), DataType.BOOL);
        return tensor(ctx.op("Where", List.of(mask, fill, x)));
    }

    /** The elements where the (broadcast) mask is true, as a 1-D tensor. */
    private static SValue maskedSelect(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        Value mask = ctx.cast(a.tensor("mask"), DataType.BOOL);
        // Expand broadcasts both ways, so expanding each by the other's shape gives the common shape
        Value maskB = ctx.op("Expand", List.of(mask, ctx.op("Shape", List.of(x))));
        Value xB = ctx.op("Expand", List.of(x, ctx.op("Shape", List.of(maskB))));
        Value flatMask = ctx.op("Reshape", List.of(maskB, ctx.longs(-1)));
        Value flatX = ctx.op("Reshape", List.of(xB, ctx.longs(-1)));
        Value where = ctx.op("Squeeze", List.of(ctx.op("NonZero", List.of(flatMask)), ctx.longs(0)));
        return tensor(ctx.op("Gather", List.of(flatX, where), Attribute.ofInt("axis", 0)));
    }

    /** scatter(self, dim, index, src or value): ScatterElements; the reduce forms need opset 16's reduction. */
    private static SValue scatter(SymbolicContext ctx, BoundArgs a, String reduce) {
        Value x = a.tensor("self");
        DataType type = ctx.dtype(x);
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
        Value index = ctx.cast(a.tensor("index"), DataType.INT64);
        Value src = a.get("src") instanceof SValue.TensorV t ? ctx.cast(t.value(), type)
                : ctx.op("Expand", List.of(ctx.tensorOf(a.get("src"), type), ctx.op("Shape", List.of(index))));
        List<Attribute> attrs = new ArrayList<>(List.of(Attribute.ofInt("axis", axis)));
        if (reduce != null) {
            String onnx = switch (reduce) {
                case "add", "sum" -> "add";
                case "multiply", "prod" -> "mul";
                default -> throw new SymbolicException(a.opName() + " with reduce='" + reduce + "' is not supported "
                        + "(add and multiply are)");
            };
            if (ctx.opset() < 16) {
                throw new SymbolicException(a.opName() + " with reduce='" + reduce + "' needs opset 16 or later "
                        + "(ScatterElements' reduction attribute); the target is " + ctx.opset());
            }
            attrs.add(Attribute.ofString("reduction", onnx));
        }
        return tensor(ctx.op("ScatterElements", List.of(x, index, src), attrs.toArray(new Attribute[0])));
    }

    /** narrow(self, dim, start, length) = self[start:start+length] along dim; a negative start counts from the end. */
    private static SValue narrow(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long axis = Axes.normalize(a.longValue("dim"), ctx.rank(x));
        SValue start = a.get("start");
        SValue length = a.get("length");
        if (start instanceof SValue.Const s && s.value() instanceof Long st && length instanceof SValue.Const l
                && l.value() instanceof Long len) {
            long end = st + len;
            if (len < 0) {
                throw new SymbolicException(a.opName() + ": length must be non-negative but is " + len);
            }
            return tensor(ctx.op("Slice", List.of(x, ctx.longs(st), ctx.longs(st < 0 && end == 0 ? END : end),
                    ctx.longs(axis))));
        }
        Value s = ctx.op("Reshape", List.of(ctx.cast(ctx.tensorOf(start, DataType.INT64), DataType.INT64),
                ctx.longs(1)));
        Value len = ctx.op("Reshape", List.of(ctx.cast(ctx.tensorOf(length, DataType.INT64), DataType.INT64),
                ctx.longs(1)));
        return tensor(ctx.op("Slice", List.of(x, s, ctx.op("Add", List.of(s, len)), ctx.longs(axis))));
    }
}
