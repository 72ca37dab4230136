package io.mconv.shape;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/** Conv, ConvTranspose and the pooling family. */
final class ConvPoolRules {

    static final AttrKey<long[]> KERNEL_SHAPE = AttrKey.ofInts("kernel_shape");
    static final AttrKey<long[]> STRIDES = AttrKey.ofInts("strides");
    static final AttrKey<long[]> DILATIONS = AttrKey.ofInts("dilations");
    static final AttrKey<long[]> PADS = AttrKey.ofInts("pads");
    static final AttrKey<long[]> OUTPUT_PADDING = AttrKey.ofInts("output_padding");
    static final AttrKey<long[]> OUTPUT_SHAPE = AttrKey.ofInts("output_shape");
    static final AttrKey<String> AUTO_PAD = AttrKey.ofString("auto_pad");
    static final AttrKey<Long> GROUP = AttrKey.ofInt("group");
    static final AttrKey<Long> CEIL_MODE = AttrKey.ofInt("ceil_mode");

    private ConvPoolRules() {
    }

    static void register(ShapeRules r) {
        r.register("Conv", (n, ctx) -> conv(n, ctx, 1, ctx.inputType(n, 0)));
        r.register("ConvInteger", (n, ctx) -> conv(n, ctx, 1, DataType.INT32));
        r.register("QLinearConv", (n, ctx) -> conv(n, ctx, 3, ctx.inputType(n, 7)));
        r.register("ConvTranspose", ConvPoolRules::convTranspose);
        r.registerAll(ConvPoolRules::pool, "MaxPool", "AveragePool", "LpPool");
        r.registerAll(ConvPoolRules::globalPool, "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool");
    }

    /** Per-axis attribute with a default of {@code fill} when absent or empty. */
    static long[] ints(Node n, AttrKey<long[]> key, int count, long fill) {
        long[] v = n.attrIfPresent(key).orElse(new long[0]);
        if (v.length == 0) {
            v = new long[count];
            java.util.Arrays.fill(v, fill);
        }
        if (v.length != count) {
            throw new ShapeInferenceException("attribute '" + key.name() + "' has " + v.length
                    + " values, expected " + count);
        }
        return v;
    }

    static String autoPad(Node n) {
        return n.attrIfPresent(AUTO_PAD).orElse("NOTSET");
    }

    /** The output size along one spatial axis of a convolution or pooling window. */
    static Dim windowOut(Dim x, long kernel, long stride, long dilation, long padBegin, long padEnd,
                         String autoPad, boolean ceil) {
        if (stride <= 0 || kernel <= 0 || dilation <= 0) {
            throw new ShapeInferenceException("non-positive kernel, stride or dilation");
        }
        long effective = dilation * (kernel - 1) + 1;
        switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER" -> {
                if (stride == 1) {
                    return x;
                }
                return x.isKnown() ? Dim.of(Dims.ceilDiv(x.value(), stride)) : Dim.unknown();
            }
            case "VALID" -> {
                padBegin = 0;
                padEnd = 0;
                ceil = false;
            }
            case "NOTSET", "" -> { }
            default -> throw new ShapeInferenceException("unknown auto_pad '" + autoPad + "'");
        }
        if (!x.isKnown()) {
            return stride == 1 && padBegin + padEnd == effective - 1 ? x : Dim.unknown();
        }
        long numerator = x.value() + padBegin + padEnd - effective;
        if (numerator < 0) {
            throw new ShapeInferenceException("window of " + effective + " larger than padded input "
                    + (x.value() + padBegin + padEnd));
        }
        long out = (ceil ? Dims.ceilDiv(numerator, stride) : Math.floorDiv(numerator, stride)) + 1;
        if (ceil && (out - 1) * stride >= x.value() + padBegin) {
            out--; // the last window would start in the end padding
        }
        return Dim.of(out);
    }

    private static void conv(Node n, InferenceContext ctx, int weightIndex, DataType type) {
        Shape x = ctx.inputShape(n, 0);
        Shape w = ctx.inputShape(n, weightIndex);
        if (x == null || x.rank() < 3) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int spatial = x.rank() - 2;
        long[] kernel = kernel(n, w, spatial);
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(w != null && w.rank() == x.rank() ? w.dim(0) : Dim.unknown());
        if (kernel == null) {
            for (int i = 0; i < spatial; i++) {
                out.add(Dim.unknown());
            }
            ctx.setOutput(n, 0, type, new Shape(out));
            return;
        }
        long[] strides = ints(n, STRIDES, spatial, 1);
        long[] dilations = ints(n, DILATIONS, spatial, 1);
        long[] pads = ints(n, PADS, 2 * spatial, 0);
        String autoPad = autoPad(n);
        for (int i = 0; i < spatial; i++) {
            out.add(windowOut(x.dim(2 + i), kernel[i], strides[i], dilations[i], pads[i], pads[i + spatial],
                    autoPad, false));
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    /** kernel_shape, else the weight's spatial dims; null when neither is known. */
    static long[] kernel(Node n, Shape w, int spatial) {
        long[] k = n.attrIfPresent(KERNEL_SHAPE).orElse(new long[0]);
        if (k.length == spatial) {
            return k;
        }
        if (w == null || w.rank() != spatial + 2) {
            return null;
        }
        long[] out = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            Dim d = w.dim(2 + i);
            if (!d.isKnown()) {
                return null;
            }
            out[i] = d.value();
        }
        return out;
    }

    private static void convTranspose(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        Shape w = ctx.inputShape(n, 1);
        DataType type = ctx.inputType(n, 0);
        if (x == null || x.rank() < 3) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int spatial = x.rank() - 2;
        long group = n.attrIfPresent(GROUP).orElse(1L);
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(w != null && w.rank() == x.rank() ? Dims.mul(w.dim(1), Dim.of(group)) : Dim.unknown());
        long[] outputShape = n.attrIfPresent(OUTPUT_SHAPE).orElse(new long[0]);
        if (outputShape.length == spatial || outputShape.length == x.rank()) {
            for (int i = 0; i < spatial; i++) {
                out.add(Dim.of(outputShape[outputShape.length - spatial + i]));
            }
            ctx.setOutput(n, 0, type, new Shape(out));
            return;
        }
        long[] kernel = kernel(n, w, spatial);
        long[] strides = ints(n, STRIDES, spatial, 1);
        long[] dilations = ints(n, DILATIONS, spatial, 1);
        long[] pads = ints(n, PADS, 2 * spatial, 0);
        long[] outputPadding = ints(n, OUTPUT_PADDING, spatial, 0);
        String autoPad = autoPad(n);
        for (int i = 0; i < spatial; i++) {
            Dim xi = x.dim(2 + i);
            if (autoPad.startsWith("SAME")) {
                out.add(Dims.mul(xi, Dim.of(strides[i])));
            } else if (kernel == null || !xi.isKnown()) {
                out.add(Dim.unknown());
            } else {
                long pb = autoPad.equals("VALID") ? 0 : pads[i];
                long pe = autoPad.equals("VALID") ? 0 : pads[i + spatial];
                long size = strides[i] * (xi.value() - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1
                        - pb - pe;
                if (size < 0) {
                    throw new ShapeInferenceException("negative output size " + size);
                }
                out.add(Dim.of(size));
            }
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }

    private static void pool(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null || x.rank() < 3) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        int spatial = x.rank() - 2;
        long[] kernel = n.attr(KERNEL_SHAPE);
        if (kernel.length != spatial) {
            throw new ShapeInferenceException("kernel_shape " + java.util.Arrays.toString(kernel)
                    + " does not fit input rank " + x.rank());
        }
        long[] strides = ints(n, STRIDES, spatial, 1);
        long[] dilations = ints(n, DILATIONS, spatial, 1);
        long[] pads = ints(n, PADS, 2 * spatial, 0);
        boolean ceil = n.attrIfPresent(CEIL_MODE).orElse(0L) != 0;
        String autoPad = autoPad(n);
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(x.dim(1));
        for (int i = 0; i < spatial; i++) {
            out.add(windowOut(x.dim(2 + i), kernel[i], strides[i], dilations[i], pads[i], pads[i + spatial],
                    autoPad, ceil));
        }
        Shape s = new Shape(out);
        ctx.setOutput(n, 0, type, s);
        ctx.setOutput(n, 1, DataType.INT64, s);
    }

    private static void globalPool(Node n, InferenceContext ctx) {
        Shape x = ctx.inputShape(n, 0);
        DataType type = ctx.inputType(n, 0);
        if (x == null || x.rank() < 2) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(x.dim(1));
        for (int i = 2; i < x.rank(); i++) {
            out.add(Dim.of(1));
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }
}
