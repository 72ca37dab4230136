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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Padding and resizing: constant_pad_nd and pad (constant, reflect, replicate; circular from opset 19), the
 * reflection/replication pad ops, and the upsample family as Resize.
 *
 * <p>Before: {@code torch.pad(x, [0, 0, 0, _13, 0, int(pad_b)])} on (N, H, W, C) (swin_t). After:
 * {@code Pad(x, Concat([0, 0, 0, 0, 0], Unsqueeze(pad_b), [_13, 0]), 0.0) mode=constant}: torch lists
 * (begin, end) pairs from the last dim backwards, ONNX all begins then all ends from the first dim.
 * <p>Before: {@code torch.upsample_bilinear2d(x, None, False, [2., 2.])}. After:
 * {@code Resize(x, , [1, 1, 2, 2]) mode=linear coordinate_transformation_mode=pytorch_half_pixel}.
 */
final class PadResizeSymbolics {

    private static final String NEAREST = "input, output_size=None, scale_factors=None, scales_h=None, "
            + "scales_w=None, scales_d=None";
    private static final String INTERPOLATING = "input, output_size=None, align_corners=False, "
            + "scale_factors=None, scales_h=None, scales_w=None, scales_d=None";

    private PadResizeSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::constant_pad_nd", 1, "self, pad, value=0", (ctx, a) -> pad(ctx, a, "constant",
                a.doubleValue("value")));
        r.register("aten::pad", 1, "self, pad, mode='constant', value=None", (ctx, a) -> pad(ctx, a,
                a.string("mode"), a.isNone("value") ? 0 : a.doubleValue("value")));
        for (int d = 1; d <= 3; d++) {
            r.register("aten::reflection_pad" + d + "d", 1, "self, pad", (ctx, a) -> pad(ctx, a, "reflect", 0));
            r.register("aten::replication_pad" + d + "d", 1, "self, pad", (ctx, a) -> pad(ctx, a, "replicate", 0));
            r.register("aten::upsample_nearest" + d + "d", 1, NEAREST, (ctx, a) -> resize(ctx, a, "nearest",
                    "asymmetric"));
            r.register("aten::_upsample_nearest_exact" + d + "d", 1, NEAREST, (ctx, a) -> resize(ctx, a,
                    "nearest", "half_pixel"));
        }
        r.register("aten::upsample_linear1d", 1, INTERPOLATING, (ctx, a) -> resize(ctx, a, "linear", null));
        r.register("aten::upsample_bilinear2d", 1, INTERPOLATING, (ctx, a) -> resize(ctx, a, "linear", null));
        r.register("aten::upsample_trilinear3d", 1, INTERPOLATING, (ctx, a) -> resize(ctx, a, "linear", null));
        r.register("aten::upsample_bicubic2d", 1, INTERPOLATING, (ctx, a) -> resize(ctx, a, "cubic", null));
    }

    private static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    private static SValue pad(SymbolicContext ctx, BoundArgs a, String mode, double value) {
        Value x = a.tensor("self");
        int rank = ctx.rank(x);
        if (!(a.get("pad") instanceof SValue.ListV || a.get("pad") instanceof SValue.TupleV)) {
            throw new SymbolicException(a.opName() + ": pad must be a list of ints but is " + a.get("pad"));
        }
        List<SValue> torchPads = a.list("pad");
        if (torchPads.size() % 2 != 0 || torchPads.size() / 2 > rank) {
            throw new SymbolicException(a.opName() + ": " + torchPads.size() + " pad values for a tensor of rank "
                    + rank + " (an even number, at most " + 2 * rank + ")");
        }
        String onnxMode = switch (mode) {
            case "constant" -> "constant";
            case "reflect" -> "reflect";
            case "replicate" -> "edge";
            case "circular" -> {
                if (ctx.opset() < 19) {
                    throw new SymbolicException(a.opName() + " with mode 'circular' needs opset 19 or later (Pad "
                            + "mode 'wrap'); the target is " + ctx.opset());
                }
                yield "wrap";
            }
            default -> throw new SymbolicException(a.opName() + " with mode '" + mode + "' is not supported "
                    + "(constant, reflect, replicate, circular are)");
        };
        List<SValue> begins = new ArrayList<>();
        List<SValue> ends = new ArrayList<>();
        int padded = torchPads.size() / 2;
        for (int d = 0; d < rank; d++) {
            int fromLast = rank - 1 - d;
            boolean has = fromLast < padded;
            begins.add(has ? torchPads.get(2 * fromLast) : new SValue.Const(0L));
            ends.add(has ? torchPads.get(2 * fromLast + 1) : new SValue.Const(0L));
        }
        List<SValue> all = new ArrayList<>(begins);
        all.addAll(ends);
        Value pads = ctx.cast(ctx.tensorOf(new SValue.ListV(all), DataType.INT64), DataType.INT64);
        List<Value> inputs = new ArrayList<>(List.of(x, pads));
        if (onnxMode.equals("constant")) {
            inputs.add(ctx.scalar(value, ctx.dtype(x)));
        }
        return tensor(ctx.op("Pad", inputs, Attribute.ofString("mode", onnxMode)));
    }

    /**
     * Resize to output_size (sizes input, batch and channel dims kept) or by scale_factors (scales input). The
     * non-vec overloads' per-dim scales only refine torch's coordinate mapping and are ignored: output_size is
     * required with them.
     */
    private static SValue resize(SymbolicContext ctx, BoundArgs a, String mode, String coordinateMode) {
        Value x = a.tensor("input");
        int rank = ctx.rank(x);
        List<Attribute> attrs = new ArrayList<>(List.of(Attribute.ofString("mode", mode)));
        String transform = coordinateMode;
        if (transform == null) {
            transform = a.bool("align_corners") ? "align_corners" : "pytorch_half_pixel";
        }
        attrs.add(Attribute.ofString("coordinate_transformation_mode", transform));
        if (mode.equals("nearest")) {
            // floor(dst / scale) for torch's nearest; round-half-up of the half-pixel position for nearest-exact
            attrs.add(Attribute.ofString("nearest_mode", transform.equals("asymmetric") ? "floor"
                    : "round_prefer_ceil"));
        }
        if (mode.equals("cubic")) {
            attrs.add(Attribute.ofFloat("cubic_coeff_a", -0.75f)); // torch's bicubic kernel
        }
        Attribute[] attributes = attrs.toArray(new Attribute[0]);
        if (!a.isNone("output_size")) {
            List<SValue> size = a.list("output_size");
            if (size.size() != rank - 2) {
                throw new SymbolicException(a.opName() + ": output_size has " + size.size() + " values for "
                        + (rank - 2) + " spatial dims");
            }
            Value spatial = ctx.cast(ctx.tensorOf(new SValue.ListV(new ArrayList<>(size)), DataType.INT64),
                    DataType.INT64);
            Value sizes = ctx.op("Concat", List.of(DimSizes.range(ctx, x, 0, 2), spatial), Attribute.ofInt("axis", 0));
            return tensor(ctx.op("Resize", Arrays.asList(x, null, null, sizes), attributes));
        }
        if (!(a.get("scale_factors") instanceof SValue.ListV || a.get("scale_factors") instanceof SValue.TupleV)) {
            throw new SymbolicException(a.opName() + " needs output_size or a list of scale_factors");
        }
        List<SValue> factors = a.list("scale_factors");
        if (factors.size() != rank - 2) {
            throw new SymbolicException(a.opName() + ": " + factors.size() + " scale factors for " + (rank - 2)
                    + " spatial dims");
        }
        float[] scales = new float[rank];
        scales[0] = 1;
        scales[1] = 1;
        for (int i = 0; i < factors.size(); i++) {
            if (!(factors.get(i) instanceof SValue.Const c && c.value() instanceof Number n)) {
                throw new SymbolicException(a.opName() + ": scale factors must be static numbers but one is "
                        + factors.get(i));
            }
            scales[i + 2] = n.floatValue();
        }
        Value scaleInput = ctx.constant(Tensor.ofFloats("scales", new long[] {rank}, scales));
        return tensor(ctx.op("Resize", Arrays.asList(x, null, scaleInput), attributes));
    }
}
