package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;

import java.util.List;

/**
 * Activations, softmax and inference-time dropout.
 *
 * <p>Before: {@code torch.hardtanh(x, 0., 6.)}. After: {@code Clip(x, 0, 6)}.
 * <p>Before: {@code torch.gelu(x)}. After (opset 20+): {@code Gelu(x)}; before:
 * {@code Mul(Mul(x, 0.5), Add(1, Erf(Div(x, sqrt 2))))}.
 * <p>Before: {@code torch.dropout(x, 0.1, False)}. After: x itself.
 */
final class ActivationSymbolics {

    private ActivationSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        simple(r, "relu", "Relu");
        simple(r, "sigmoid", "Sigmoid");
        simple(r, "tanh", "Tanh");
        simple(r, "softsign", "Softsign");
        r.register("aten::hardswish", 14, "self", (ctx, a) -> tensor(ctx.op("HardSwish", List.of(a.tensor("self")))));
        r.register("aten::hardsigmoid", 1, "self", (ctx, a) -> tensor(ctx.op("HardSigmoid", List.of(a.tensor("self")),
                Attribute.ofFloat("alpha", 1f / 6), Attribute.ofFloat("beta", 0.5f))));
        r.register("aten::relu6", 1, "self", (ctx, a) -> clip(ctx, a.tensor("self"), 0, 6));
        r.register("aten::hardtanh", 1, "self, min_val=-1.0, max_val=1.0", (ctx, a) -> clip(ctx, a.tensor("self"),
                a.doubleValue("min_val"), a.doubleValue("max_val")));
        r.register("aten::silu", 1, "self", (ctx, a) -> {
            Value x = a.tensor("self");
            return tensor(ctx.op("Mul", List.of(x, ctx.op("Sigmoid", List.of(x)))));
        });
        r.register("aten::mish", 1, "self", (ctx, a) -> {
            Value x = a.tensor("self");
            return tensor(ctx.op("Mul", List.of(x, ctx.op("Tanh", List.of(ctx.op("Softplus", List.of(x)))))));
        });
        r.register("aten::leaky_relu", 1, "self, negative_slope=0.01", (ctx, a) -> tensor(ctx.op("LeakyRelu",
                List.of(a.tensor("self")), Attribute.ofFloat("alpha", (float) a.doubleValue("negative_slope")))));
        r.register("aten::elu", 1, "self, alpha=1.0, scale=1.0, input_scale=1.0", ActivationSymbolics::elu);
        r.register("aten::selu", 1, "self", (ctx, a) -> tensor(ctx.op("Selu", List.of(a.tensor("self")))));
        r.register("aten::celu", 12, "self, alpha=1.0", (ctx, a) -> tensor(ctx.op("Celu", List.of(a.tensor("self")),
                Attribute.ofFloat("alpha", (float) a.doubleValue("alpha")))));
        r.register("aten::softplus", 1, "self, beta=1.0, threshold=20.0", ActivationSymbolics::softplus);
        r.register("aten::prelu", 1, "self, weight", ActivationSymbolics::prelu);
        r.register("aten::gelu", 1, "self, approximate='none'", (ctx, a) -> gelu(ctx, a, false));
        r.register("aten::gelu", 20, "self, approximate='none'", (ctx, a) -> gelu(ctx, a, true));
        r.register("aten::softmax", 1, "self, dim, dtype=None", (ctx, a) -> softmax(ctx, a, "Softmax"));
        r.register("aten::_softmax", 1, "self, dim, half_to_float", (ctx, a) -> softmax(ctx, a, "Softmax"));
        r.register("aten::log_softmax", 1, "self, dim, dtype=None", (ctx, a) -> softmax(ctx, a, "LogSoftmax"));
        r.register("aten::_log_softmax", 1, "self, dim, half_to_float", (ctx, a) -> softmax(ctx, a, "LogSoftmax"));
        for (String name : List.of("dropout", "feature_dropout", "alpha_dropout", "feature_alpha_dropout")) {
            r.register("aten::" + name, 1, "input, p, train", ActivationSymbolics::dropout);
        }
    }

    private static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    private static void simple(SymbolicRegistry r, String aten, String onnx) {
        r.register("aten::" + aten, 1, "self", (ctx, a) -> tensor(ctx.op(onnx, List.of(a.tensor("self")))));
    }

    private static SValue clip(SymbolicContext ctx, Value x, double lo, double hi) {
        DataType t = ctx.dtype(x);
        return tensor(ctx.op("Clip", List.of(x, ctx.scalar(lo, t), ctx.scalar(hi, t))));
    }

    private static SValue elu(SymbolicContext ctx, BoundArgs a) {
        if (a.doubleValue("scale") != 1 || a.doubleValue("input_scale") != 1) {
            throw new SymbolicException("elu with scale or input_scale other than 1 is not supported");
        }
        return tensor(ctx.op("Elu", List.of(a.tensor("self")), Attribute.ofFloat("alpha",
                (float) a.doubleValue("alpha"))));
    }

    /** softplus(x) = log(1 + exp(beta x)) / beta, and x itself where beta x exceeds the threshold. */
    private static SValue softplus(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        DataType t = ctx.dtype(x);
        double beta = a.doubleValue("beta");
        Value bx = beta == 1 ? x : ctx.op("Mul", List.of(x, ctx.scalar(beta, t)));
        Value soft = ctx.op("Softplus", List.of(bx));
        if (beta != 1) {
            soft = ctx.op("Div", List.of(soft, ctx.scalar(beta, t)));
        }
        Value linear = ctx.op("Greater", List.of(bx, ctx.scalar(a.doubleValue("threshold"), t)));
        return tensor(ctx.op("Where", List.of(linear, x, soft)));
    }

    /** torch's PReLU weight has one value per channel (dim 1); ONNX broadcasts from the right, so reshape it. */
    private static SValue prelu(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("self");
        Value w = a.tensor("weight");
        int rank = ctx.rank(x);
        if (rank > 2) {
            long[] shape = new long[rank - 1];
            java.util.Arrays.fill(shape, 1);
            shape[0] = -1;
            w = ctx.op("Reshape", List.of(w, ctx.longs(shape)));
        }
        return tensor(ctx.op("PRelu", List.of(x, w)));
    }

    private static SValue gelu(SymbolicContext ctx, BoundArgs a, boolean nativeOp) {
        Value x = a.tensor("self");
        String approximate = a.string("approximate");
        if (nativeOp) {
            return tensor(ctx.op("Gelu", List.of(x), Attribute.ofString("approximate", approximate)));
        }
        DataType t = ctx.dtype(x);
        Value half = ctx.op("Mul", List.of(x, ctx.scalar(0.5, t)));
        Value inner;
        if (approximate.equals("tanh")) {
            // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
            Value cube = ctx.op("Mul", List.of(ctx.op("Mul", List.of(x, x)), x));
            Value poly = ctx.op("Add", List.of(x, ctx.op("Mul", List.of(cube, ctx.scalar(0.044715, t)))));
            inner = ctx.op("Tanh", List.of(ctx.op("Mul", List.of(poly, ctx.scalar(Math.sqrt(2 / Math.PI), t)))));
        } else {
            inner = ctx.op("Erf", List.of(ctx.op("Div", List.of(x, ctx.scalar(Math.sqrt(2), t)))));
        }
        return tensor(ctx.op("Mul", List.of(half, ctx.op("Add", List.of(inner, ctx.scalar(1, t))))));
    }

    private static SValue softmax(SymbolicContext ctx, BoundArgs a, String onnx) {
        Value x = a.tensor("self");
        if (a.opName().endsWith("softmax") && !a.opName().contains("_softmax") && !a.isNone("dtype")) {
            long code = a.longValue("dtype");
            DataType target = io.mconv.torch.archive.TorchDType.fromCode(code).flatMap(
                    io.mconv.torch.archive.TorchDType::onnxType).orElseThrow(() -> new SymbolicException(
                    "unknown dtype code " + code));
            x = ctx.cast(x, target);
        }
        return tensor(ctx.op(onnx, List.of(x), Attribute.ofInt("axis", a.longValue("dim"))));
    }

    /** Identity at inference; in training mode too when p is 0 (torchvision's swin passes training=True, p=0). */
    private static SValue dropout(SymbolicContext ctx, BoundArgs a) {
        if (a.bool("train") && a.doubleValue("p") != 0) {
            throw new SymbolicException(a.opName() + " in training mode; export the model in eval mode "
                    + "(model.eval() before torch.jit.trace)");
        }
        return a.get("input");
    }
}
