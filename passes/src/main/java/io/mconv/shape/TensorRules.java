package io.mconv.shape;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Ops that move data around: reshapes, slicing, gathering, concatenation, padding, shape queries, resizing. */
final class TensorRules {

    static final AttrKey<Long> AXIS = AttrKey.ofInt("axis");
    static final AttrKey<long[]> AXES = AttrKey.ofInts("axes");
    static final AttrKey<long[]> PERM = AttrKey.ofInts("perm");
    static final AttrKey<long[]> SHAPE = AttrKey.ofInts("shape");
    static final AttrKey<Long> ALLOWZERO = AttrKey.ofInt("allowzero");
    static final AttrKey<long[]> SPLIT = AttrKey.ofInts("split");
    static final AttrKey<Long> NUM_OUTPUTS = AttrKey.ofInt("num_outputs");
    static final AttrKey<long[]> STARTS = AttrKey.ofInts("starts");
    static final AttrKey<long[]> ENDS = AttrKey.ofInts("ends");
    static final AttrKey<long[]> PADS = AttrKey.ofInts("pads");
    static final AttrKey<long[]> PADDINGS = AttrKey.ofInts("paddings");
    static final AttrKey<Long> START = AttrKey.ofInt("start");
    static final AttrKey<Long> END = AttrKey.ofInt("end");
    static final AttrKey<Tensor> VALUE = AttrKey.ofTensor("value");
    static final AttrKey<float[]> SCALES = AttrKey.ofFloats("scales");
    static final AttrKey<String> KEEP_ASPECT = AttrKey.ofString("keep_aspect_ratio_policy");
    static final AttrKey<String> COORD_MODE = AttrKey.ofString("coordinate_transformation_mode");
    static final AttrKey<Long> BLOCKSIZE = AttrKey.ofInt("blocksize");
    static final AttrKey<Graph> THEN = AttrKey.ofGraph("then_branch");
    static final AttrKey<Graph> ELSE = AttrKey.ofGraph("else_branch");

    private TensorRules() {
    }

    static void register(ShapeRules r) {
        r.register("Reshape", TensorRules::reshape);
        r.register("Flatten", TensorRules::flatten);
        r.register("Squeeze", TensorRules::squeeze);
        r.register("Unsqueeze", TensorRules::unsqueeze);
        r.register("Transpose", TensorRules::transpose);
        r.register("Concat", TensorRules::concat);
        r.register("Split", TensorRules::split);
        r.register("Slice", TensorRules::slice);
        r.register("Gather", TensorRules::gather);
        r.register("GatherElements", (n, ctx) -> ctx.setOutput(n, 0, ctx.inputType(n, 0), ctx.inputShape(n, 1)));
        r.register("Expand", TensorRules::expand);
        r.register("Tile", TensorRules::tile);
        r.register("Pad", TensorRules::pad);
        r.register("Shape", TensorRules::shape);
        r.register("Size", TensorRules::size);
        r.register("ConstantOfShape", TensorRules::constantOfShape);
        r.register("Range", TensorRules::range);
        r.register("Resize", TensorRules::resize);
        r.register("Upsample", TensorRules::resize);
        r.register("DepthToSpace", (n, ctx) -> blocks(n, ctx, true));
        r.register("SpaceToDepth", (n, ctx) -> blocks(n, ctx, false));
        r.register("NonZero", (n, ctx) -> {
            Shape x = ctx.inputShape(n, 0);
            ctx.setOutput(n, 0, DataType.INT64, x == null ? null : new Shape(List.of(Dim.of(x.rank()), Dim.unknown())));
        });
        r.register("If", TensorRules::ifNode);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** An int list from an attribute (before {@code inputSince}) or a constant input, or empty when not known. */
    private static Optional<long[]> intsAttrOrInput(Node n, InferenceContext ctx, AttrKey<long[]> key,
                                                    int inputIndex, int inputSince) {
        if (ctx.opset(n) >= 0 && ctx.opset(n) < inputSince) {
            return Optional.of(n.attrIfPresent(key).orElse(new long[0]));
        }
        Value v = n.input(inputIndex);
        if (v == null) {
            return Optional.of(n.attrIfPresent(key).orElse(new long[0]));
        }
        return knownInts(ctx, v);
    }

    /** A tracked or constant integer value whose elements are all known. */
    static Optional<long[]> knownInts(InferenceContext ctx, Value v) {
        Optional<List<Dim>> sv = ctx.shapeValue(v);
        if (sv.isEmpty()) {
            return Optional.empty();
        }
        long[] out = new long[sv.get().size()];
        for (int i = 0; i < out.length; i++) {
            Dim d = sv.get().get(i);
            if (!d.isKnown()) {
                return Optional.empty();
            }
            out[i] = d.value();
        }
        return Optional.of(out);
    }

    // ---- reshapes --------------------------------------------------------------------------------------------

    private static void reshape(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        List<Dim> target;
        if (ctx.opset(n) >= 0 && ctx.opset(n) < 5) {
            target = new ArrayList<>();
            for (long l : n.attr(SHAPE)) {
                target.add(Dim.of(l));
            }
        } else {
            Optional<List<Dim>> sv = ctx.shapeValue(n.input(1));
            if (sv.isEmpty()) {
                Shape s = ctx.inputShape(n, 1);
                boolean rankKnown = s != null && s.rank() == 1 && s.dim(0).isKnown();
                ctx.setOutput(n, 0, type, rankKnown ? Dims.unknownOfRank(Math.toIntExact(s.dim(0).value())) : null);
                return;
            }
            target = sv.get();
        }
        boolean allowZero = n.attrIfPresent(ALLOWZERO).orElse(0L) != 0;
        List<Dim> out = new ArrayList<>();
        int inferIndex = -1;
        for (int i = 0; i < target.size(); i++) {
            Dim t = target.get(i);
            if (t.isKnown() && t.value() == 0 && !allowZero) {
                out.add(x != null && i < x.rank() ? x.dim(i) : Dim.unknown());
            } else if (t.isKnown() && t.value() == -1) {
                if (inferIndex >= 0) {
                    throw new ShapeInferenceException("Reshape target has two -1 entries");
                }
                inferIndex = i;
                out.add(Dim.unknown());
            } else if (t.isKnown() && t.value() < -1) {
                throw new ShapeInferenceException("Reshape target has " + t.value());
            } else {
                out.add(t);
            }
        }
        if (inferIndex >= 0 && x != null) {
            List<Dim> rest = new ArrayList<>(out);
            rest.remove(inferIndex);
            out.set(inferIndex, quotient(x.dims(), rest));
        }
        ctx.setOutput(n, 0, type, new Shape(out));
        // A reshaped shape value keeps its elements (Reshape of a 1-element value to [1] or [] in shape chains).
        ctx.shapeValue(n.input(0)).ifPresent(sv -> {
            if (out.size() <= 1) {
                ctx.setShapeValue(n.output(0), sv);
            }
        });
    }

    /** prod(numerator) / prod(denominator), cancelling equal symbols; unknown when not certain. */
    static Dim quotient(List<Dim> numerator, List<Dim> denominator) {
        List<Dim> num = new ArrayList<>(numerator);
        List<Dim> den = new ArrayList<>();
        for (Dim d : denominator) {
            if (d.isSymbolic()) {
                int match = -1;
                for (int j = 0; j < num.size(); j++) {
                    if (num.get(j).isSymbolic() && num.get(j).param().equals(d.param())) {
                        match = j;
                        break;
                    }
                }
                if (match >= 0) {
                    num.remove(match);
                    continue;
                }
            }
            den.add(d);
        }
        long denProduct = 1;
        for (Dim d : den) {
            if (!d.isKnown()) {
                return Dim.unknown();
            }
            denProduct = Math.multiplyExact(denProduct, d.value());
        }
        long numProduct = 1;
        Dim symbol = null;
        for (Dim d : num) {
            if (d.isKnown()) {
                numProduct = Math.multiplyExact(numProduct, d.value());
            } else if (d.isSymbolic() && symbol == null) {
                symbol = d;
            } else {
                return Dim.unknown();
            }
        }
        if (denProduct == 0) {
            return Dim.unknown();
        }
        if (symbol != null) {
            return numProduct == denProduct ? symbol : Dim.unknown();
        }
        if (numProduct % denProduct != 0) {
            throw new ShapeInferenceException("cannot reshape " + numProduct + " elements with "
                    + denProduct + " per -1 slot");
        }
        return Dim.of(numProduct / denProduct);
    }

    private static void flatten(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        long axis = n.attrIfPresent(AXIS).orElse(1L);
        int a = (int) (axis < 0 ? axis + x.rank() : axis);
        if (a < 0 || a > x.rank()) {
            throw new ShapeInferenceException("Flatten axis " + axis + " out of range for rank " + x.rank());
        }
        ctx.setOutput(n, 0, type, new Shape(List.of(Dims.product(x.dims().subList(0, a)),
                Dims.product(x.dims().subList(a, x.rank())))));
    }

    private static void squeeze(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        Optional<long[]> axes = intsAttrOrInput(n, ctx, AXES, 1, 13);
        if (x == null || axes.isEmpty()) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        boolean[] drop = new boolean[x.rank()];
        if (axes.get().length == 0) {
            for (int i = 0; i < x.rank(); i++) {
                if (!x.dim(i).isKnown()) {
                    ctx.setOutput(n, 0, type, null);
                    return;
                }
                drop[i] = x.dim(i).value() == 1;
            }
        } else {
            for (long a : axes.get()) {
                int ax = Dims.axis(a, x.rank());
                if (x.dim(ax).isKnown() && x.dim(ax).value() != 1) {
                    throw new ShapeInferenceException("cannot squeeze axis " + a + " of size " + x.dim(ax));
                }
                drop[ax] = true;
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!drop[i]) {
                out.add(x.dim(i));
            }
        }
        ctx.setOutput(n, 0, type, new Shape(out));
        passShapeValue(n, ctx, out.size());
    }

    private static void passShapeValue(Node n, InferenceContext ctx, int outRank) {
        if (outRank <= 1) {
            ctx.shapeValue(n.input(0)).ifPresent(sv -> ctx.setShapeValue(n.output(0), sv));
        }
    }

    private static void unsqueeze(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        Optional<long[]> axes = intsAttrOrInput(n, ctx, AXES, 1, 13);
        if (x == null || axes.isEmpty()) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int rank = x.rank() + axes.get().length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes.get()) {
            int ax = Dims.axis(a, rank);
            if (inserted[ax]) {
                throw new ShapeInferenceException("Unsqueeze axis " + a + " repeated");
            }
            inserted[ax] = true;
        }
        List<Dim> out = new ArrayList<>();
        int j = 0;
        for (int i = 0; i < rank; i++) {
            out.add(inserted[i] ? Dim.of(1) : x.dim(j++));
        }
        ctx.setOutput(n, 0, type, new Shape(out));
        passShapeValue(n, ctx, rank);
    }

    private static void transpose(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        long[] perm = n.attrIfPresent(PERM).orElse(new long[0]);
        if (perm.length == 0) {
            perm = new long[x.rank()];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = x.rank() - 1 - i;
            }
        }
        if (perm.length != x.rank()) {
            throw new ShapeInferenceException("perm " + Arrays.toString(perm) + " does not fit rank " + x.rank());
        }
        List<Dim> out = new ArrayList<>();
        for (long p : perm) {
            out.add(x.dim(Dims.axis(p, x.rank())));
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    private static void concat(Node n, InferenceContext ctx) {
        DataType type = null;
        List<Shape> shapes = new ArrayList<>();
        for (Value v : n.inputs()) {
            if (v == null) {
                continue;
            }
            if (type == null) {
                type = ctx.elemType(v);
            }
            shapes.add(ctx.shape(v));
        }
        if (shapes.isEmpty() || shapes.contains(null)) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int rank = shapes.get(0).rank();
        int axis = Dims.axis(n.attr(AXIS), rank);
        List<Dim> out = new ArrayList<>(shapes.get(0).dims());
        for (int k = 1; k < shapes.size(); k++) {
            Shape s = shapes.get(k);
            if (s.rank() != rank) {
                throw new ShapeInferenceException("Concat inputs of ranks " + rank + " and " + s.rank());
            }
            for (int i = 0; i < rank; i++) {
                out.set(i, i == axis ? Dims.add(out.get(i), s.dim(i)) : Dims.merge(out.get(i), s.dim(i)));
            }
        }
        ctx.setOutput(n, 0, type, new Shape(out));
        List<Dim> values = new ArrayList<>();
        for (Value v : n.inputs()) {
            if (v == null) {
                continue;
            }
            Optional<List<Dim>> sv = ctx.shapeValue(v);
            if (sv.isEmpty()) {
                return;
            }
            values.addAll(sv.get());
        }
        ctx.setShapeValue(n.output(0), values);
    }

    private static void split(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        int outputs = n.outputCount();
        if (x == null) {
            for (int i = 0; i < outputs; i++) {
                ctx.setOutput(n, i, type, null);
            }
            return;
        }
        int axis = Dims.axis(n.attrIfPresent(AXIS).orElse(0L), x.rank());
        Dim whole = x.dim(axis);
        Dim[] sizes = new Dim[outputs];
        Optional<long[]> split = ctx.opset(n) >= 13 ? (n.input(1) == null ? Optional.of(new long[0])
                : knownInts(ctx, n.input(1))) : Optional.of(n.attrIfPresent(SPLIT).orElse(new long[0]));
        if (split.isPresent() && split.get().length > 0) {
            if (split.get().length != outputs) {
                throw new ShapeInferenceException("split has " + split.get().length + " sizes for " + outputs
                        + " outputs");
            }
            for (int i = 0; i < outputs; i++) {
                sizes[i] = Dim.of(split.get()[i]);
            }
        } else if (split.isPresent() && whole.isKnown()) {
            long d = whole.value();
            Optional<Long> numOutputs = ctx.opset(n) >= 18 ? n.attrIfPresent(NUM_OUTPUTS) : Optional.empty();
            if (numOutputs.isPresent()) {
                long chunk = Dims.ceilDiv(d, numOutputs.get());
                for (int i = 0; i < outputs; i++) {
                    sizes[i] = Dim.of(Math.max(0, Math.min(chunk, d - chunk * i)));
                }
            } else {
                if (d % outputs != 0) {
                    throw new ShapeInferenceException("cannot split " + d + " into " + outputs + " equal parts");
                }
                Arrays.fill(sizes, Dim.of(d / outputs));
            }
        } else {
            Arrays.fill(sizes, outputs == 1 ? whole : Dim.unknown());
        }
        for (int i = 0; i < outputs; i++) {
            List<Dim> out = new ArrayList<>(x.dims());
            out.set(axis, sizes[i]);
            ctx.setOutput(n, i, type, new Shape(out));
        }
    }

    // ---- slicing and gathering -------------------------------------------------------------------------------

    /** The selected indices of a slice over {@code dim} elements (clamped as the ONNX spec says). */
    static long[] sliceRange(long dim, long start, long end, long step) {
        if (step == 0) {
            throw new ShapeInferenceException("Slice step 0");
        }
        if (start < 0) {
            start += dim;
        }
        if (end < 0) {
            end += dim;
        }
        long count;
        if (step > 0) {
            start = Math.max(0, Math.min(start, dim));
            end = Math.max(0, Math.min(end, dim));
            count = Math.max(0, Dims.ceilDiv(end - start, step));
        } else {
            start = Math.max(-1, Math.min(start, dim - 1));
            end = Math.max(-1, Math.min(end, dim - 1));
            count = Math.max(0, Dims.ceilDiv(start - end, -step));
        }
        return new long[] {start, count};
    }

    private static void slice(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (ctx.opset(n) >= 0 && ctx.opset(n) < 10) {
            starts = n.attr(STARTS);
            ends = n.attr(ENDS);
            axes = n.attrIfPresent(AXES).orElse(new long[0]);
            steps = new long[0];
        } else {
            Optional<long[]> s = knownInts(ctx, n.input(1));
            Optional<long[]> e = knownInts(ctx, n.input(2));
            Optional<long[]> a = n.input(3) == null ? Optional.of(new long[0]) : knownInts(ctx, n.input(3));
            Optional<long[]> st = n.input(4) == null ? Optional.of(new long[0]) : knownInts(ctx, n.input(4));
            if (s.isEmpty() || e.isEmpty() || a.isEmpty() || st.isEmpty()) {
                List<Dim> out = new ArrayList<>(Dims.unknownOfRank(x.rank()).dims());
                if (a.isPresent() && a.get().length > 0) {
                    // only the sliced axes change
                    out = new ArrayList<>(x.dims());
                    for (long ax : a.get()) {
                        out.set(Dims.axis(ax, x.rank()), Dim.unknown());
                    }
                }
                ctx.setOutput(n, 0, type, new Shape(out));
                return;
            }
            starts = s.get();
            ends = e.get();
            axes = a.get();
            steps = st.get();
        }
        if (axes.length == 0) {
            axes = new long[starts.length];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        if (steps.length == 0) {
            steps = new long[starts.length];
            Arrays.fill(steps, 1);
        }
        if (ends.length != starts.length || axes.length != starts.length || steps.length != starts.length) {
            throw new ShapeInferenceException("Slice starts, ends, axes and steps differ in length");
        }
        List<Dim> out = new ArrayList<>(x.dims());
        for (int i = 0; i < starts.length; i++) {
            int ax = Dims.axis(axes[i], x.rank());
            Dim d = x.dim(ax);
            if (d.isKnown()) {
                out.set(ax, Dim.of(sliceRange(d.value(), starts[i], ends[i], steps[i])[1]));
            } else if (starts[i] == 0 && steps[i] == 1 && ends[i] >= Integer.MAX_VALUE) {
                out.set(ax, d);
            } else {
                out.set(ax, Dim.unknown());
            }
        }
        ctx.setOutput(n, 0, type, new Shape(out));
        Optional<List<Dim>> sv = ctx.shapeValue(n.input(0));
        if (sv.isPresent() && x.rank() == 1 && starts.length == 1) {
            long[] r = sliceRange(sv.get().size(), starts[0], ends[0], steps[0]);
            List<Dim> values = new ArrayList<>();
            for (long k = 0; k < r[1]; k++) {
                values.add(sv.get().get((int) (r[0] + k * steps[0])));
            }
            ctx.setShapeValue(n.output(0), values);
        }
    }

    private static void gather(Node n, InferenceContext ctx) {
        Shape data = ctx.inputShape(n, 0);
        Shape indices = ctx.inputShape(n, 1);
        DataType type = ctx.inputType(n, 0);
        if (data == null || indices == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int axis = Dims.axis(n.attrIfPresent(AXIS).orElse(0L), data.rank());
        List<Dim> out = new ArrayList<>(data.dims().subList(0, axis));
        out.addAll(indices.dims());
        out.addAll(data.dims().subList(axis + 1, data.rank()));
        ctx.setOutput(n, 0, type, new Shape(out));
        Optional<List<Dim>> sv = ctx.shapeValue(n.input(0));
        Optional<long[]> idx = ctx.constantLongs(n.input(1));
        if (sv.isPresent() && idx.isPresent() && data.rank() == 1) {
            List<Dim> values = new ArrayList<>();
            int len = sv.get().size();
            for (long i : idx.get()) {
                long k = i < 0 ? i + len : i;
                if (k < 0 || k >= len) {
                    throw new ShapeInferenceException("Gather index " + i + " out of range " + len);
                }
                values.add(sv.get().get((int) k));
            }
            ctx.setShapeValue(n.output(0), values);
        }
    }

    private static void expand(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        Optional<List<Dim>> target = ctx.shapeValue(n.input(1));
        Shape targetShape;
        if (target.isPresent()) {
            targetShape = new Shape(target.get());
        } else {
            Shape s = ctx.inputShape(n, 1);
            if (s == null || s.rank() != 1 || !s.dim(0).isKnown()) {
                ctx.setOutput(n, 0, type, null);
                return;
            }
            targetShape = Dims.unknownOfRank(Math.toIntExact(s.dim(0).value()));
        }
        ctx.setOutput(n, 0, type, x == null ? null : Dims.broadcast(x, targetShape));
    }

    private static void tile(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        Optional<List<Dim>> repeats = ctx.shapeValue(n.input(1));
        if (repeats.isEmpty()) {
            ctx.setOutput(n, 0, type, Dims.unknownOfRank(x.rank()));
            return;
        }
        if (repeats.get().size() != x.rank()) {
            throw new ShapeInferenceException("Tile repeats has " + repeats.get().size() + " entries for rank "
                    + x.rank());
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            out.add(Dims.mul(x.dim(i), repeats.get().get(i)));
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    private static void pad(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int opset = ctx.opset(n);
        Optional<long[]> pads;
        long[] axes = null;
        if (opset >= 0 && opset < 2) {
            pads = Optional.of(n.attr(PADDINGS));
        } else if (opset >= 0 && opset < 11) {
            pads = Optional.of(n.attr(PADS));
        } else {
            pads = knownInts(ctx, n.input(1));
            if (n.input(3) != null) {
                Optional<long[]> a = knownInts(ctx, n.input(3));
                if (a.isEmpty()) {
                    ctx.setOutput(n, 0, type, Dims.unknownOfRank(x.rank()));
                    return;
                }
                axes = a.get();
            }
        }
        if (pads.isEmpty()) {
            ctx.setOutput(n, 0, type, Dims.unknownOfRank(x.rank()));
            return;
        }
        if (axes == null) {
            axes = new long[x.rank()];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        long[] p = pads.get();
        if (p.length != 2 * axes.length) {
            throw new ShapeInferenceException("Pad has " + p.length + " pads for " + axes.length + " axes");
        }
        List<Dim> out = new ArrayList<>(x.dims());
        for (int i = 0; i < axes.length; i++) {
            int ax = Dims.axis(axes[i], x.rank());
            out.set(ax, Dims.addConst(out.get(ax), Math.addExact(p[i], p[i + axes.length])));
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    // ---- shape queries and generators ------------------------------------------------------------------------

    private static void shape(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, DataType.INT64, new Shape(List.of(Dim.unknown())));
            return;
        }
        int r = x.rank();
        long start = n.attrIfPresent(START).orElse(0L);
        long end = n.attrIfPresent(END).orElse((long) r);
        start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
        end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
        List<Dim> values = start < end ? x.dims().subList((int) start, (int) end) : List.of();
        ctx.setOutput(n, 0, DataType.INT64, Shape.of(values.size()));
        ctx.setShapeValue(n.output(0), values);
    }

    private static void size(Node n, InferenceContext ctx) {
        ctx.setOutput(n, 0, DataType.INT64, Shape.of());
        Shape x = ctx.inputShape(n, 0);
        if (x != null) {
            Dim p = Dims.product(x.dims());
            if (p.isKnown() || p.isSymbolic()) {
                ctx.setShapeValue(n.output(0), List.of(p));
            }
        }
    }

    private static void constantOfShape(Node n, InferenceContext ctx) {
        Optional<Tensor> value = n.attrIfPresent(VALUE);
        DataType type = value.map(Tensor::dataType).orElse(DataType.FLOAT);
        Optional<List<Dim>> sv = ctx.shapeValue(n.input(0));
        if (sv.isPresent()) {
            for (Dim d : sv.get()) {
                if (d.isKnown() && d.value() < 0) {
                    throw new ShapeInferenceException("ConstantOfShape with negative dimension " + d);
                }
            }
            Shape out = new Shape(sv.get());
            ctx.setOutput(n, 0, type, out);
            // small integer fills are shape values too (torch's Expand patterns)
            if (out.rank() == 1 && out.dim(0).isKnown() && InferenceContext.isInteger(type)
                    && out.dim(0).value() <= InferenceContext.MAX_SHAPE_VALUE_ELEMENTS) {
                long fill = value.map(t -> t.toLongArray()[0]).orElse(0L);
                List<Dim> values = new ArrayList<>();
                for (long i = 0; i < out.dim(0).value(); i++) {
                    values.add(Dim.of(fill));
                }
                ctx.setShapeValue(n.output(0), values);
            }
            return;
        }
        Shape s = ctx.inputShape(n, 0);
        ctx.setOutput(n, 0, type, s != null && s.rank() == 1 && s.dim(0).isKnown()
                ? Dims.unknownOfRank(Math.toIntExact(s.dim(0).value())) : null);
    }

    private static void range(Node n, InferenceContext ctx) {
        DataType type = ctx.inputType(n, 0);
        Dim length = Dim.unknown();
        if (type != null && InferenceContext.isInteger(type)) {
            Optional<List<Dim>> s = ctx.shapeValue(n.input(0));
            Optional<List<Dim>> l = ctx.shapeValue(n.input(1));
            Optional<List<Dim>> d = ctx.shapeValue(n.input(2));
            if (s.isPresent() && l.isPresent() && d.isPresent() && s.get().size() == 1 && l.get().size() == 1
                    && d.get().size() == 1) {
                Dim start = s.get().get(0);
                Dim limit = l.get().get(0);
                Dim delta = d.get().get(0);
                if (start.isKnown() && limit.isKnown() && delta.isKnown() && delta.value() != 0) {
                    length = Dim.of(Math.max(0, Dims.ceilDiv(limit.value() - start.value(), delta.value())));
                } else if (Dims.isKnown(start, 0) && Dims.isKnown(delta, 1) && limit.isSymbolic()) {
                    length = limit;
                }
            }
        } else if (type != null && type.isFloatingPoint()) {
            Optional<Tensor> s = ctx.constant(n.input(0));
            Optional<Tensor> l = ctx.constant(n.input(1));
            Optional<Tensor> d = ctx.constant(n.input(2));
            if (s.isPresent() && l.isPresent() && d.isPresent()) {
                double start = s.get().toDoubleArray()[0];
                double limit = l.get().toDoubleArray()[0];
                double delta = d.get().toDoubleArray()[0];
                if (delta != 0) {
                    length = Dim.of(Math.max(0, (long) Math.ceil((limit - start) / delta)));
                }
            }
        }
        ctx.setOutput(n, 0, type, new Shape(List.of(length)));
    }

    private static void resize(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int opset = ctx.opset(n);
        int rank = x.rank();
        boolean upsample = n.opType().equals("Upsample");
        Value scalesInput;
        Value sizesInput = null;
        if (upsample && opset >= 0 && opset < 9) {
            scalesInput = null;
        } else if (upsample || (opset >= 0 && opset < 11)) {
            scalesInput = n.input(1);
        } else {
            scalesInput = n.input(2);
            sizesInput = n.input(3);
        }
        long[] axes = opset >= 18 ? n.attrIfPresent(AXES).orElse(new long[0]) : new long[0];
        if (axes.length == 0) {
            axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        List<Dim> out = new ArrayList<>(x.dims());
        String policy = n.attrIfPresent(KEEP_ASPECT).orElse("stretch");
        String coordMode = n.attrIfPresent(COORD_MODE).orElse("half_pixel");
        Optional<List<Dim>> sizes = sizesInput == null ? Optional.empty() : ctx.shapeValue(sizesInput);
        float[] scales = null;
        if (upsample && opset >= 0 && opset < 9) {
            scales = n.attr(SCALES);
        } else if (scalesInput != null) {
            Optional<float[]> f = ctx.constantFloats(scalesInput);
            if (f.isPresent() && f.get().length > 0) {
                scales = f.get();
            } else if (f.isEmpty() && sizesInput == null) {
                ctx.setOutput(n, 0, type, Dims.unknownOfRank(rank));
                return;
            }
        }
        if (sizesInput != null && scales == null) {
            if (sizes.isEmpty() || !policy.equals("stretch")) {
                for (long a : axes) {
                    out.set(Dims.axis(a, rank), Dim.unknown());
                }
            } else {
                if (sizes.get().size() != axes.length) {
                    throw new ShapeInferenceException("Resize sizes has " + sizes.get().size() + " entries for "
                            + axes.length + " axes");
                }
                for (int i = 0; i < axes.length; i++) {
                    out.set(Dims.axis(axes[i], rank), sizes.get().get(i));
                }
            }
        } else if (scales != null) {
            if (scales.length != axes.length) {
                throw new ShapeInferenceException("Resize scales has " + scales.length + " entries for "
                        + axes.length + " axes");
            }
            for (int i = 0; i < axes.length; i++) {
                int ax = Dims.axis(axes[i], rank);
                Dim d = x.dim(ax);
                if (scales[i] == 1.0f) {
                    continue;
                }
                if (!d.isKnown() || coordMode.equals("tf_crop_and_resize")) {
                    out.set(ax, Dim.unknown());
                } else {
                    out.set(ax, Dim.of((long) Math.floor(d.value() * (double) scales[i])));
                }
            }
        } else {
            out = Dims.unknownOfRank(rank).dims();
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    private static void blocks(Node n, InferenceContext ctx, boolean depthToSpace) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null || x.rank() != 4) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        long b = n.attr(BLOCKSIZE);
        Dim c = x.dim(1);
        Dim h = x.dim(2);
        Dim w = x.dim(3);
        List<Dim> out;
        if (depthToSpace) {
            out = List.of(x.dim(0), c.isKnown() ? Dim.of(c.value() / (b * b)) : Dim.unknown(),
                    Dims.mul(h, Dim.of(b)), Dims.mul(w, Dim.of(b)));
        } else {
            out = List.of(x.dim(0), Dims.mul(c, Dim.of(b * b)), h.isKnown() ? Dim.of(h.value() / b) : Dim.unknown(),
                    w.isKnown() ? Dim.of(w.value() / b) : Dim.unknown());
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    private static void ifNode(Node n, InferenceContext ctx) {
        Graph thenG = n.attr(THEN);
        Graph elseG = n.attr(ELSE);
        for (int i = 0; i < n.outputCount(); i++) {
            if (i >= thenG.outputs().size() || i >= elseG.outputs().size()) {
                return;
            }
            Value t = thenG.outputs().get(i);
            Value e = elseG.outputs().get(i);
            DataType type = t.elemType() != null ? t.elemType() : e.elemType();
            Shape ts = t.shape();
            Shape es = e.shape();
            Shape s = null;
            if (ts != null && es != null && ts.rank() == es.rank()) {
                List<Dim> dims = new ArrayList<>();
                for (int k = 0; k < ts.rank(); k++) {
                    dims.add(Dims.common(ts.dim(k), es.dim(k)));
                }
                s = new Shape(dims);
            }
            ctx.setOutput(n, i, type, s);
        }
    }
}
