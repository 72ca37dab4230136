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
 * Ops that move elements without computing new ones: roll, flip, repeat, tile, tril/triu, pixel_shuffle,
 * channel_shuffle.
 *
 * <p>Before: {@code torch.roll(x, [-3, -3], [1, 2])} (swin_t's shifted windows). After, per dim:
 * {@code Concat(Slice(x, [3], [INT64_MAX], [1]), Slice(x, [0], [3], [1])) axis=1}.
 * <p>Before: {@code torch.triu(x, 1)}. After (opset 14+): {@code Trilu(x, 1) upper=1}; before 14 a mask built
 * from two Ranges and a Where.
 */
final class RearrangeSymbolics {

    private static final long END = Long.MAX_VALUE;

    private RearrangeSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::roll", 1, "self, shifts, dims=[]", RearrangeSymbolics::roll);
        r.register("aten::flip", 1, "self, dims", RearrangeSymbolics::flip);
        r.register("aten::repeat", 1, "self, repeats", (ctx, a) -> tile(ctx, a.tensor("self"), a.get("repeats"),
                true));
        r.register("aten::tile", 1, "self, dims", (ctx, a) -> tile(ctx, a.tensor("self"), a.get("dims"), false));
        r.register("aten::tril", 1, "self, diagonal=0", (ctx, a) -> triangleByMask(ctx, a, false));
        r.register("aten::triu", 1, "self, diagonal=0", (ctx, a) -> triangleByMask(ctx, a, true));
        r.register("aten::tril", 14, "self, diagonal=0", (ctx, a) -> trilu(ctx, a, false));
        r.register("aten::triu", 14, "self, diagonal=0", (ctx, a) -> trilu(ctx, a, true));
        r.register("aten::pixel_shuffle", 1, "self, upscale_factor", RearrangeSymbolics::pixelShuffle);
        r.register("aten::channel_shuffle", 1, "self, groups", RearrangeSymbolics::channelShuffle);
        r.register("aten::native_channel_shuffle", 1, "self, groups", RearrangeSymbolics::channelShuffle);
    }

    private static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    /**
     * Rolling by s along a dim is the last s elements followed by the rest. A shift is reduced modulo a known
     * size; with an unknown size, a shift of magnitude below the size works with negative slice bounds.
     */
    private static SValue roll(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        long[] shifts = a.longs("shifts");
        long[] dims = a.longs("dims");
        if (dims.length == 0) {
            if (shifts.length != 1) {
                throw new SymbolicException(a.opName() + " without dims takes one shift but got " + shifts.length);
            }
            Value flat = ctx.op("Reshape", List.of(x, ctx.longs(-1)));
            Value rolled = rollAxis(ctx, flat, shifts[0], 0);
            return tensor(ctx.op("Reshape", List.of(rolled, ctx.op("Shape", List.of(x)))));
        }
        if (dims.length != shifts.length) {
            throw new SymbolicException(a.opName() + ": " + shifts.length + " shifts for " + dims.length + " dims");
        }
        int rank = ctx.rank(x);
        Value out = x;
        for (int i = 0; i < dims.length; i++) {
            out = rollAxis(ctx, out, shifts[i], Axes.normalize(dims[i], rank));
        }
        return tensor(out);
    }

    private static Value rollAxis(SymbolicContext ctx, Value x, long shift, long axis) {
        long size = DimSizes.known(ctx, x, axis);
        long s = size > 0 ? Math.floorMod(shift, size) : shift;
        if (s == 0) {
            return x;
        }
        // the tail starts at -s: counted from the end for a positive shift, from the start for a negative one
        long split = -s;
        Value tail = ctx.op("Slice", List.of(x, ctx.longs(split), ctx.longs(END), ctx.longs(axis)));
        Value head = ctx.op("Slice", List.of(x, ctx.longs(0), ctx.longs(split), ctx.longs(axis)));
        return ctx.op("Concat", List.of(tail, head), Attribute.ofInt("axis", axis));
    }

    private static SValue flip(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        long[] dims = a.longs("dims");
        if (dims.length == 0) {
            return a.get("self");
        }
        long[] axes = new long[dims.length];
        long[] starts = new long[dims.length];
        long[] ends = new long[dims.length];
        long[] steps = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            axes[i] = Axes.normalize(dims[i], rank);
            starts[i] = -1;
            ends[i] = Long.MIN_VALUE; // "before the first element" when stepping backwards
            steps[i] = -1;
        }
        return tensor(ctx.op("Slice", List.of(x, ctx.longs(starts), ctx.longs(ends), ctx.longs(axes),
                ctx.longs(steps))));
    }

    /**
     * repeat and tile are Tile once the ranks agree: repeat with more repeats than dims adds leading dims of size
     * 1 to the input; tile with fewer dims than the input pads its repeats with leading ones.
     */
    private static SValue tile(SymbolicContext ctx, Value x, SValue repeatsArg, boolean isRepeat) {
        List<SValue> repeats = repeatsArg instanceof SValue.ListV l ? new ArrayList<>(l.elements())
                : repeatsArg instanceof SValue.TupleV t ? new ArrayList<>(t.elements())
                : new ArrayList<>(List.of(repeatsArg));
        int rank = ctx.rank(x);
        if (isRepeat && repeats.size() < rank) {
            throw new SymbolicException("aten::repeat: " + repeats.size() + " repeats for a tensor of rank " + rank
                    + " (torch needs at least as many repeats as dims)");
        }
        while (repeats.size() < rank) {
            repeats.add(0, new SValue.Const(1L));
        }
        Value input = x;
        if (repeats.size() > rank) {
            long[] leading = new long[repeats.size() - rank];
            for (int i = 0; i < leading.length; i++) {
                leading[i] = i;
            }
            input = ctx.op("Unsqueeze", List.of(x, ctx.longs(leading)));
        }
        Value counts = ctx.cast(ctx.tensorOf(new SValue.ListV(repeats), DataType.INT64), DataType.INT64);
        return tensor(ctx.op("Tile", List.of(input, counts)));
    }

    private static SValue trilu(SymbolicContext ctx, BoundArgs a, boolean upper) {
        Value x = a.tensor("self");
        if (ctx.rank(x) < 2) {
            throw new SymbolicException(a.opName() + " needs a tensor of rank 2 or more but got rank " + ctx.rank(x));
        }
        return tensor(ctx.op("Trilu", List.of(x, ctx.scalarLong(a.longValue("diagonal"))),
                Attribute.ofInt("upper", upper ? 1 : 0)));
    }

    /** Before Trilu (opset 14): keep element (i, j) where j - i <= k (tril) or j - i >= k (triu). */
    private static SValue triangleByMask(SymbolicContext ctx, BoundArgs a, boolean upper) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        if (rank < 2) {
            throw new SymbolicException(a.opName() + " needs a tensor of rank 2 or more but got rank " + rank);
        }
        Value rows = ctx.op("Range", List.of(ctx.scalarLong(0), DimSizes.scalar(ctx, x, rank - 2),
                ctx.scalarLong(1)));
        Value cols = ctx.op("Range", List.of(ctx.scalarLong(0), DimSizes.scalar(ctx, x, rank - 1),
                ctx.scalarLong(1)));
        Value offset = ctx.op("Sub", List.of(cols, ctx.op("Unsqueeze", List.of(rows, ctx.longs(1)))));
        Value k = ctx.scalarLong(a.longValue("diagonal"));
        Value keep = ctx.op(upper ? "GreaterOrEqual" : "LessOrEqual", List.of(offset, k));
        Value zero = ctx.scalar(0, ctx.dtype(x));
        return tensor(ctx.op("Where", List.of(keep, x, zero)));
    }

    /** pixel_shuffle on (N, C*r*r, H, W): DepthToSpace in CRD order is torch's channel layout. */
    private static SValue pixelShuffle(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        if (ctx.rank(x) != 4) {
            throw new SymbolicException(a.opName() + " is supported for 4-D (N, C, H, W) input only, not rank "
                    + ctx.rank(x));
        }
        return tensor(ctx.op("DepthToSpace", List.of(x), Attribute.ofInt("blocksize", a.longValue("upscale_factor")),
                Attribute.ofString("mode", "CRD")));
    }

    /** (N, C, *) viewed as (N, g, C/g, *), the two group dims swapped, and viewed back. */
    private static SValue channelShuffle(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        long groups = a.longValue("groups");
        if (rank < 3) {
            throw new SymbolicException(a.opName() + " needs (N, C, ...) input of rank 3 or more but got " + rank);
        }
        List<Value> shape = new ArrayList<>(List.of(DimSizes.vector(ctx, x, 0), ctx.longs(groups, -1),
                DimSizes.range(ctx, x, 2, rank)));
        Value grouped = ctx.op("Reshape", List.of(x, ctx.op("Concat", shape, Attribute.ofInt("axis", 0))));
        long[] perm = new long[rank + 1];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[1] = 2;
        perm[2] = 1;
        Value swapped = ctx.op("Transpose", List.of(grouped), Attribute.ofInts("perm", perm));
        return tensor(ctx.op("Reshape", List.of(swapped, ctx.op("Shape", List.of(x)))));
    }
}
