package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalisation layers at inference.
 *
 * <p>Before: {@code torch.batch_norm(x, w, b, mean, var, False, 0.1, 1e-05, True)}.
 * After: {@code BatchNormalization(x, w, b, mean, var) epsilon=1e-05}.
 *
 * <p>Before: {@code torch.layer_norm(x, [768], w, b, 1e-12, True)}. After (opset 17+):
 * {@code LayerNormalization(x, w, b) axis=-1 epsilon=1e-12}; before 17 the mean/variance decomposition.
 */
final class NormSymbolics {

    private NormSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::batch_norm", 1, "input, weight, bias, running_mean, running_var, training, momentum, eps, "
                + "cudnn_enabled=True", NormSymbolics::batchNorm);
        r.register("aten::layer_norm", 1, "input, normalized_shape, weight=None, bias=None, eps=1e-05, "
                + "cudnn_enable=True", (ctx, a) -> layerNorm(ctx, a, false));
        r.register("aten::layer_norm", 17, "input, normalized_shape, weight=None, bias=None, eps=1e-05, "
                + "cudnn_enable=True", (ctx, a) -> layerNorm(ctx, a, true));
        r.register("aten::group_norm", 1, "input, num_groups, weight=None, bias=None, eps=1e-05, "
                + "cudnn_enabled=True", NormSymbolics::groupNorm);
        r.register("aten::instance_norm", 1, "input, weight, bias, running_mean, running_var, use_input_stats, "
                + "momentum, eps, cudnn_enabled=True", NormSymbolics::instanceNorm);
    }

    private static SValue batchNorm(SymbolicContext ctx, BoundArgs a) {
        if (a.bool("training") && (a.isNone("running_mean") || a.isNone("running_var"))) {
            throw new SymbolicException("batch_norm in training mode without running statistics; export the model "
                    + "in eval mode (model.eval() before torch.jit.trace)");
        }
        Value x = a.tensor("input");
        long channels = channels(ctx, x);
        DataType type = ctx.dtype(x);
        Value scale = a.optTensor("weight").orElseGet(() -> filled(ctx, channels, 1, type));
        Value bias = a.optTensor("bias").orElseGet(() -> filled(ctx, channels, 0, type));
        Value mean = a.optTensor("running_mean").orElseGet(() -> filled(ctx, channels, 0, type));
        Value var = a.optTensor("running_var").orElseGet(() -> filled(ctx, channels, 1, type));
        return new SValue.TensorV(ctx.op("BatchNormalization", List.of(x, scale, bias, mean, var),
                Attribute.ofFloat("epsilon", (float) a.doubleValue("eps"))));
    }

    private static long channels(SymbolicContext ctx, Value x) {
        Shape s = ctx.shapeOrNull(x);
        if (s == null || s.rank() < 2 || !s.dim(1).isKnown()) {
            throw new SymbolicException("the channel count (dim 1) of '" + x.name() + "' must be known");
        }
        return s.dim(1).value();
    }

    private static Value filled(SymbolicContext ctx, long n, double value, DataType type) {
        float[] v = new float[Math.toIntExact(n)];
        java.util.Arrays.fill(v, (float) value);
        return ctx.cast(ctx.constant(Tensor.ofFloats("norm_default", new long[] {n}, v)), type);
    }

    private static SValue layerNorm(SymbolicContext ctx, BoundArgs a, boolean nativeOp) {
        Value x = a.tensor("input");
        int rank = ctx.rank(x);
        long[] normalized = a.longs("normalized_shape");
        long axis = rank - normalized.length;
        float eps = (float) a.doubleValue("eps");
        if (nativeOp) {
            Value scale = a.optTensor("weight").orElseGet(() -> ctx.cast(ctx.op("ConstantOfShape",
                    List.of(ctx.longs(normalized)), Attribute.ofTensor("value",
                            Tensor.ofFloats("one", new long[] {1}, 1f))), ctx.dtype(x)));
            List<Value> inputs = new ArrayList<>(List.of(x, scale));
            a.optTensor("bias").ifPresent(inputs::add);
            return new SValue.TensorV(ctx.op("LayerNormalization", inputs, Attribute.ofInt("axis", axis),
                    Attribute.ofFloat("epsilon", eps)));
        }
        long[] axes = new long[normalized.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axis + i;
        }
        Value mean = ctx.reduce("ReduceMean", x, axes, true);
        Value centered = ctx.op("Sub", List.of(x, mean));
        Value variance = ctx.reduce("ReduceMean", ctx.op("Mul", List.of(centered, centered)), axes, true);
        Value std = ctx.op("Sqrt", List.of(ctx.op("Add", List.of(variance, ctx.scalar(eps, ctx.dtype(x))))));
        Value out = ctx.op("Div", List.of(centered, std));
        if (!a.isNone("weight")) {
            out = ctx.op("Mul", List.of(out, a.tensor("weight")));
        }
        if (!a.isNone("bias")) {
            out = ctx.op("Add", List.of(out, a.tensor("bias")));
        }
        return new SValue.TensorV(out);
    }

    /**
     * GroupNorm as a reshape to (N, groups, -1), normalisation over the last axis, and the per-channel affine:
     * ONNX's GroupNormalization (opset 18) had its scale per group until opset 21, unlike torch's per channel.
     */
    private static SValue groupNorm(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("input");
        long groups = a.longValue("num_groups");
        int rank = ctx.rank(x);
        float eps = (float) a.doubleValue("eps");
        Value shape = ctx.op("Shape", List.of(x));
        Value grouped = ctx.op("Reshape", List.of(x, ctx.longs(0, groups, -1)));
        Value mean = ctx.reduce("ReduceMean", grouped, new long[] {2}, true);
        Value centered = ctx.op("Sub", List.of(grouped, mean));
        Value variance = ctx.reduce("ReduceMean", ctx.op("Mul", List.of(centered, centered)), new long[] {2}, true);
        Value normed = ctx.op("Div", List.of(centered, ctx.op("Sqrt", List.of(ctx.op("Add",
                List.of(variance, ctx.scalar(eps, ctx.dtype(x))))))));
        Value out = ctx.op("Reshape", List.of(normed, shape));
        long[] affineShape = new long[rank - 1];
        affineShape[0] = -1;
        java.util.Arrays.fill(affineShape, 1, affineShape.length, 1);
        if (!a.isNone("weight")) {
            out = ctx.op("Mul", List.of(out, ctx.op("Reshape", List.of(a.tensor("weight"), ctx.longs(affineShape)))));
        }
        if (!a.isNone("bias")) {
            out = ctx.op("Add", List.of(out, ctx.op("Reshape", List.of(a.tensor("bias"), ctx.longs(affineShape)))));
        }
        return new SValue.TensorV(out);
    }

    private static SValue instanceNorm(SymbolicContext ctx, BoundArgs a) {
        if (!a.bool("use_input_stats")) {
            return batchNorm(ctx, a);
        }
        Value x = a.tensor("input");
        long channels = channels(ctx, x);
        DataType type = ctx.dtype(x);
        Value scale = a.optTensor("weight").orElseGet(() -> filled(ctx, channels, 1, type));
        Value bias = a.optTensor("bias").orElseGet(() -> filled(ctx, channels, 0, type));
        return new SValue.TensorV(ctx.op("InstanceNormalization", List.of(x, scale, bias),
                Attribute.ofFloat("epsilon", (float) a.doubleValue("eps"))));
    }
}
