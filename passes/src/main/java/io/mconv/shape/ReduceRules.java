package io.mconv.shape;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reductions (axes as attribute or input), ArgMax/ArgMin and TopK. */
final class ReduceRules {

    static final AttrKey<long[]> AXES = AttrKey.ofInts("axes");
    static final AttrKey<Long> AXIS = AttrKey.ofInt("axis");
    static final AttrKey<Long> KEEPDIMS = AttrKey.ofInt("keepdims");
    static final AttrKey<Long> NOOP = AttrKey.ofInt("noop_with_empty_axes");
    static final AttrKey<Long> K = AttrKey.ofInt("k");

    static final String[] REDUCTIONS = {
        "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin",
        "ReduceProd", "ReduceSum", "ReduceSumSquare",
    };

    private ReduceRules() {
    }

    static void register(ShapeRules r) {
        r.registerAll(ReduceRules::reduce, REDUCTIONS);
        r.registerAll(ReduceRules::argReduce, "ArgMax", "ArgMin");
        r.register("TopK", ReduceRules::topK);
    }

    /** The opset from which the op takes its axes as an input. */
    static int axesInputSince(String opType) {
        return opType.equals("ReduceSum") ? 13 : 18;
    }

    private static void reduce(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        boolean keep = n.attrIfPresent(KEEPDIMS).orElse(1L) != 0;
        boolean noop = n.attrIfPresent(NOOP).orElse(0L) != 0;
        int opset = ctx.opset(n);
        Optional<long[]> axes;
        if (opset >= axesInputSince(n.opType()) && n.input(1) != null) {
            axes = TensorRules.knownInts(ctx, n.input(1));
        } else if (opset >= axesInputSince(n.opType())) {
            axes = Optional.of(new long[0]);
        } else {
            axes = Optional.of(n.attrIfPresent(AXES).orElse(new long[0]));
        }
        if (axes.isEmpty()) {
            ctx.setOutput(n, 0, type, keep ? Dims.unknownOfRank(x.rank()) : null);
            return;
        }
        if (axes.get().length == 0 && noop) {
            ctx.setOutput(n, 0, type, x);
            return;
        }
        boolean[] reduced = new boolean[x.rank()];
        if (axes.get().length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        for (long a : axes.get()) {
            reduced[Dims.axis(a, x.rank())] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!reduced[i]) {
                out.add(x.dim(i));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    private static void argReduce(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, DataType.INT64, null);
            return;
        }
        int axis = Dims.axis(n.attrIfPresent(AXIS).orElse(0L), x.rank());
        boolean keep = n.attrIfPresent(KEEPDIMS).orElse(1L) != 0;
        List<Dim> out = new ArrayList<>(x.dims());
        if (keep) {
            out.set(axis, Dim.of(1));
        } else {
            out.remove(axis);
        }
        ctx.setOutput(n, 0, DataType.INT64, new Shape(out));
    }

    private static void topK(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            ctx.setOutput(n, 1, DataType.INT64, null);
            return;
        }
        int axis = Dims.axis(n.attrIfPresent(AXIS).orElse(-1L), x.rank());
        Dim k = Dim.unknown();
        if (ctx.opset(n) >= 0 && ctx.opset(n) < 10) {
            k = Dim.of(n.attr(K));
        } else {
            Optional<List<Dim>> kv = ctx.shapeValue(n.input(1));
            if (kv.isPresent() && kv.get().size() == 1) {
                k = kv.get().get(0);
            }
        }
        List<Dim> out = new ArrayList<>(x.dims());
        out.set(axis, k);
        Shape s = new Shape(out);
        ctx.setOutput(n, 0, type, s);
        ctx.setOutput(n, 1, DataType.INT64, s);
    }
}
