package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * Convolutions and pooling.
 *
 * <p>Before: {@code torch._convolution(x, w, b, [2, 2], [3, 3], [1, 1], False, [0, 0], 1, ...)}.
 * After: {@code Conv(x, w, b) strides=[2,2] pads=[3,3,3,3] dilations=[1,1] group=1 kernel_shape=[7,7]}.
 *
 * <p>Before: {@code torch.adaptive_avg_pool2d(x, [1, 1])}. After: {@code GlobalAveragePool(x)}.
 */
final class ConvPoolSymbolics {

    private ConvPoolSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::_convolution", 1, "input, weight, bias, stride, padding, dilation, transposed, "
                + "output_padding, groups, benchmark=False, deterministic=False, cudnn_enabled=True, "
                + "allow_tf32=True", (ctx, a) -> conv(ctx, a, a.bool("transposed"), a.longs("output_padding")));
        r.register("aten::convolution", 1, "input, weight, bias, stride, padding, dilation, transposed, "
                + "output_padding, groups", (ctx, a) -> conv(ctx, a, a.bool("transposed"), a.longs("output_padding")));
        for (String name : List.of("conv1d", "conv2d", "conv3d")) {
            r.register("aten::" + name, 1, "input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1",
                    (ctx, a) -> conv(ctx, a, false, new long[] {0}));
        }
        for (String name : List.of("conv_transpose1d", "conv_transpose2d", "conv_transpose3d")) {
            r.register("aten::" + name, 1, "input, weight, bias=None, stride=1, padding=0, output_padding=0, "
                    + "groups=1, dilation=1", (ctx, a) -> conv(ctx, a, true, a.longs("output_padding")));
        }
        for (int d = 1; d <= 3; d++) {
            int spatial = d;
            r.register("aten::max_pool" + d + "d", 1, "self, kernel_size, stride=[], padding=0, dilation=1, "
                    + "ceil_mode=False", (ctx, a) -> maxPool(ctx, a, spatial, false));
            r.register("aten::max_pool" + d + "d_with_indices", 1, "self, kernel_size, stride=[], padding=0, "
                    + "dilation=1, ceil_mode=False", (ctx, a) -> maxPool(ctx, a, spatial, true));
            r.register("aten::avg_pool" + d + "d", 1, "self, kernel_size, stride=[], padding=0, ceil_mode=False, "
                    + "count_include_pad=True, divisor_override=None", (ctx, a) -> avgPool(ctx, a, spatial));
            r.register("aten::adaptive_avg_pool" + d + "d", 1, "self, output_size",
                    (ctx, a) -> adaptivePool(ctx, a, spatial, "GlobalAveragePool", "AveragePool"));
            r.register("aten::adaptive_max_pool" + d + "d", 1, "self, output_size",
                    (ctx, a) -> new SValue.TupleV(List.of(adaptivePool(ctx, a, spatial, "GlobalMaxPool", "MaxPool"),
                            SValue.Const.NONE)));
        }
    }

    private static SValue conv(SymbolicContext ctx, BoundArgs a, boolean transposed, long[] outputPadding) {
        Value x = a.tensor("input");
        Value w = a.tensor("weight");
        int spatial = ctx.rank(w) - 2;
        long[] stride = Axes.expand(a.longs("stride"), spatial, "stride");
        long[] dilation = Axes.expand(a.longs("dilation"), spatial, "dilation");
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(Attribute.ofInts("strides", stride));
        attrs.add(Attribute.ofInts("dilations", dilation));
        attrs.add(Attribute.ofInt("group", a.longValue("groups")));
        Shape ws = ctx.shapeOrNull(w);
        if (ws != null && ws.dims().subList(2, ws.rank()).stream().allMatch(Dim::isKnown)) {
            long[] kernel = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                kernel[i] = ws.dim(i + 2).value();
            }
            attrs.add(Attribute.ofInts("kernel_shape", kernel));
        }
        if (a.get("padding") instanceof SValue.Const c && c.value() instanceof String mode) {
            if (mode.equals("same")) {
                attrs.add(Attribute.ofString("auto_pad", "SAME_UPPER"));
            } else if (!mode.equals("valid")) {
                throw new SymbolicException("padding mode '" + mode + "' is not supported");
            }
        } else {
            attrs.add(Attribute.ofInts("pads", Axes.symmetricPads(Axes.expand(a.longs("padding"), spatial,
                    "padding"))));
        }
        if (transposed) {
            long[] op = Axes.expand(outputPadding, spatial, "output_padding");
            if (java.util.Arrays.stream(op).anyMatch(v -> v != 0)) {
                attrs.add(Attribute.ofInts("output_padding", op));
            }
        }
        List<Value> inputs = new ArrayList<>(List.of(x, w));
        a.optTensor("bias").ifPresent(inputs::add);
        return new SValue.TensorV(ctx.op(transposed ? "ConvTranspose" : "Conv", inputs,
                attrs.toArray(new Attribute[0])));
    }

    private static SValue maxPool(SymbolicContext ctx, BoundArgs a, int spatial, boolean withIndices) {
        long[] kernel = Axes.expand(a.longs("kernel_size"), spatial, "kernel_size");
        long[] strideArg = a.longs("stride");
        long[] stride = strideArg.length == 0 ? kernel : Axes.expand(strideArg, spatial, "stride");
        long[] pads = Axes.symmetricPads(Axes.expand(a.longs("padding"), spatial, "padding"));
        long[] dilation = Axes.expand(a.longs("dilation"), spatial, "dilation");
        List<Value> outs = ctx.ops("MaxPool", withIndices ? 2 : 1, List.of(a.tensor("self")),
                Attribute.ofInts("kernel_shape", kernel), Attribute.ofInts("strides", stride),
                Attribute.ofInts("pads", pads), Attribute.ofInts("dilations", dilation),
                Attribute.ofInt("ceil_mode", a.bool("ceil_mode") ? 1 : 0));
        if (withIndices) {
            throw new SymbolicException(a.opName() + ": pooling indices (torch's flat layout) are not supported");
        }
        return new SValue.TensorV(outs.get(0));
    }

    private static SValue avgPool(SymbolicContext ctx, BoundArgs a, int spatial) {
        if (!a.isNone("divisor_override")) {
            throw new SymbolicException(a.opName() + ": divisor_override is not supported");
        }
        long[] kernel = Axes.expand(a.longs("kernel_size"), spatial, "kernel_size");
        long[] strideArg = a.longs("stride");
        long[] stride = strideArg.length == 0 ? kernel : Axes.expand(strideArg, spatial, "stride");
        long[] pads = Axes.symmetricPads(Axes.expand(a.longs("padding"), spatial, "padding"));
        return new SValue.TensorV(ctx.op("AveragePool", List.of(a.tensor("self")),
                Attribute.ofInts("kernel_shape", kernel), Attribute.ofInts("strides", stride),
                Attribute.ofInts("pads", pads), Attribute.ofInt("ceil_mode", a.bool("ceil_mode") ? 1 : 0),
                Attribute.ofInt("count_include_pad", a.bool("count_include_pad") ? 1 : 0)));
    }

    /**
     * Adaptive pooling to output size 1 is global pooling; to another size it is plain pooling when every input
     * size is a known multiple of the output size (the windows are then uniform), otherwise not expressible.
     */
    private static SValue adaptivePool(SymbolicContext ctx, BoundArgs a, int spatial, String global, String plain) {
        Value x = a.tensor("self");
        long[] out = Axes.expand(a.longs("output_size"), spatial, "output_size");
        if (java.util.Arrays.stream(out).allMatch(v -> v == 1)) {
            return new SValue.TensorV(ctx.op(global, List.of(x)));
        }
        Shape s = ctx.shapeOrNull(x);
        long[] kernel = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            Dim d = s == null ? Dim.unknown() : s.dim(s.rank() - spatial + i);
            if (!d.isKnown() || d.value() % out[i] != 0) {
                throw new SymbolicException(a.opName() + " to " + java.util.Arrays.toString(out)
                        + " needs input sizes that are known multiples of the output size; input is " + s);
            }
            kernel[i] = d.value() / out[i];
        }
        return new SValue.TensorV(ctx.op(plain, List.of(x), Attribute.ofInts("kernel_shape", kernel),
                Attribute.ofInts("strides", kernel)));
    }
}
