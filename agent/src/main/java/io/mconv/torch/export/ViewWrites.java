package io.mconv.torch.export;

import io.mconv.ir.Attribute;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-place writes through views. TorchScript code fills parts of a tensor through slices of it
 * ({@code torch.fill_(torch.slice(mask, 0, 0, -7), 1.)}); ONNX values are immutable, so the write becomes a new
 * value of the whole tensor, assembled from the untouched parts and the written part, which then replaces the
 * base everywhere the function refers to it.
 *
 * <p>Before: {@code _35 = torch.slice(mask, 0, 0, -7); torch.fill_(_35, 1.)} with mask 14 rows.
 * After: {@code mask' = Concat(filled rows 0..7, Slice(mask, 7, 14)) axis=0}; later reads of mask see mask'.
 */
final class ViewWrites {

    /** How a view was taken from its base: a slice {@code [start, end)} or a select of one index, on {@code dim}. */
    private record View(SValue base, int dim, long start, long end, boolean select) {
    }

    private final SymbolicContext ctx;
    private final Map<Value, View> views = new IdentityHashMap<>();
    /** Slices and selects whose bounds or base shape were not static: writing through them is refused. */
    private final java.util.Set<Value> opaqueViews = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    ViewWrites(SymbolicContext ctx) {
        this.ctx = ctx;
    }

    /** Records {@code result} as a view when the call was a static slice or select of a tensor. */
    void recordIfView(String op, BoundArgs args, SValue result) {
        if (!op.equals("aten::slice") && !op.equals("aten::select")) {
            return;
        }
        if (!(result instanceof SValue.TensorV r) || !(args.get("self") instanceof SValue.TensorV base)
                || r.value() == base.value()) {
            return;
        }
        Shape shape = ctx.shapeOrNull(base.value());
        opaqueViews.add(r.value());
        if (shape == null) {
            return;
        }
        try {
            int dim = (int) normalize(args.longValue("dim"), shape.rank());
            if (!shape.dim(dim).isKnown()) {
                return;
            }
            opaqueViews.remove(r.value());
            long size = shape.dim(dim).value();
            if (op.equals("aten::select")) {
                long index = normalize(args.longValue("index"), size);
                views.put(r.value(), new View(base, dim, index, index + 1, true));
            } else if (op.equals("aten::slice") && args.longValue("step") == 1) {
                long start = args.isNone("start") ? 0 : clamp(args.longValue("start"), size);
                long end = args.isNone("end") ? size : clamp(args.longValue("end"), size);
                views.put(r.value(), new View(base, dim, start, Math.max(start, end), false));
            } else {
                opaqueViews.add(r.value());
            }
        } catch (SymbolicException dynamicBounds) {
            opaqueViews.add(r.value()); // run-time bounds: a write through it is refused in writeBack
        }
    }

    /**
     * After an in-place op produced {@code written} for {@code target}: when target is a recorded view, the new
     * value of its base (and of the base's base, up the chain), rebound in {@code frame}.
     */
    void writeBack(SValue target, SValue written, Frame frame) {
        if (!(target instanceof SValue.TensorV t) || !(written instanceof SValue.TensorV w)) {
            return;
        }
        View view = views.get(t.value());
        if (view == null) {
            if (opaqueViews.contains(t.value())) {
                throw new SymbolicException("an in-place write through a slice or select whose bounds or base "
                        + "shape are only known at run time is not supported");
            }
            return;
        }
        Value base = ((SValue.TensorV) view.base()).value();
        Value part = ctx.cast(w.value(), ctx.dtype(base));
        if (view.select()) {
            part = ctx.op("Unsqueeze", List.of(part, ctx.longs(view.dim())));
        }
        long size = ctx.shapeOrNull(base).dim(view.dim()).value();
        List<Value> pieces = new ArrayList<>();
        if (view.start() > 0) {
            pieces.add(slice(base, view.dim(), 0, view.start()));
        }
        pieces.add(part);
        if (view.end() < size) {
            pieces.add(slice(base, view.dim(), view.end(), size));
        }
        Value updated = pieces.size() == 1 ? pieces.get(0)
                : ctx.op("Concat", pieces, Attribute.ofInt("axis", view.dim()));
        SValue newBase = new SValue.TensorV(updated);
        if (frame != null) {
            frame.rebind(view.base(), newBase);
        }
        writeBack(view.base(), newBase, frame);
    }

    private Value slice(Value x, int dim, long start, long end) {
        return ctx.op("Slice", List.of(x, ctx.longs(start), ctx.longs(end), ctx.longs(dim)));
    }

    private static long normalize(long i, long size) {
        return i < 0 ? i + size : i;
    }

    private static long clamp(long i, long size) {
        long k = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, k));
    }
}
