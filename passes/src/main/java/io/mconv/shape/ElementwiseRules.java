package io.mconv.shape;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BinaryOperator;

/** Elementwise ops (unary, broadcasting binary and variadic), normalizations, casts, constants and quantization. */
final class ElementwiseRules {

    static final AttrKey<Long> TO = AttrKey.ofInt("to");
    static final AttrKey<Long> AXIS = AttrKey.ofInt("axis");
    static final AttrKey<Long> STASH_TYPE = AttrKey.ofInt("stash_type");
    static final AttrKey<Long> OUTPUT_DTYPE = AttrKey.ofInt("output_dtype");

    /** Ops whose output 0 has the type and shape of input 0. */
    static final String[] SAME_AS_INPUT = {
        "Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "BitwiseNot", "Ceil", "Celu", "Clip", "Cos",
        "Cosh", "CumSum", "Elu", "Erf", "Exp", "Floor", "Gelu", "GroupNormalization", "HardSigmoid", "HardSwish",
        "Hardmax", "InstanceNormalization", "LRN", "LeakyRelu", "Log", "LogSoftmax", "LpNormalization",
        "MeanVarianceNormalization", "Mish", "Neg", "Not", "Reciprocal", "Relu", "ReverseSequence", "Round",
        "Scatter", "ScatterElements", "ScatterND", "Selu", "Shrink", "Sigmoid", "Sign", "Sin", "Sinh", "Softmax",
        "Softplus", "Softsign", "Sqrt", "Tan", "Tanh", "ThresholdedRelu", "Trilu", "Swish",
    };

    static final String[] ARITHMETIC = {
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    };

    static final String[] COMPARISON = {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"};

    static final String[] VARIADIC = {"Max", "Min", "Sum", "Mean"};

    private ElementwiseRules() {
    }

    static void register(ShapeRules r) {
        r.registerAll(ElementwiseRules::sameAsInput, SAME_AS_INPUT);
        // PRelu's slope broadcasts to X (unidirectionally; per channel before opset 7): the output is X's shape
        r.register("PRelu", ElementwiseRules::sameAsInput);
        r.register("Identity", (n, ctx) -> {
            sameAsInput(n, ctx);
            ctx.shapeValue(n.input(0)).ifPresent(sv -> ctx.setShapeValue(n.output(0), sv));
        });
        r.registerAll((n, ctx) -> {
            ctx.setOutput(n, 0, DataType.BOOL, ctx.inputShape(n, 0));
        }, "IsNaN", "IsInf");
        r.registerAll((n, ctx) -> broadcastAll(n, ctx, ctx.inputType(n, 0) != null ? ctx.inputType(n, 0)
                : ctx.inputType(n, 1)), ARITHMETIC);
        r.registerAll((n, ctx) -> broadcastAll(n, ctx, DataType.BOOL), COMPARISON);
        r.registerAll((n, ctx) -> broadcastAll(n, ctx, firstType(n, ctx)), VARIADIC);
        r.register("Where", ElementwiseRules::where);
        r.register("Cast", ElementwiseRules::cast);
        r.register("CastLike", (n, ctx) -> ctx.setOutput(n, 0, ctx.inputType(n, 1), ctx.inputShape(n, 0)));
        r.register("Dropout", ElementwiseRules::dropout);
        r.register("BatchNormalization", ElementwiseRules::batchNorm);
        r.register("LayerNormalization", ElementwiseRules::layerNorm);
        r.register("Constant", ElementwiseRules::constant);
        r.register("QuantizeLinear", ElementwiseRules::quantize);
        r.register("DequantizeLinear", (n, ctx) -> ctx.setOutput(n, 0,
                ctx.inputType(n, 1) != null ? ctx.inputType(n, 1) : DataType.FLOAT, ctx.inputShape(n, 0)));
        r.register("DynamicQuantizeLinear", (n, ctx) -> {
            ctx.setOutput(n, 0, DataType.UINT8, ctx.inputShape(n, 0));
            ctx.setOutput(n, 1, DataType.FLOAT, Shape.of());
            ctx.setOutput(n, 2, DataType.UINT8, Shape.of());
        });
    }

    static void sameAsInput(Node n, InferenceContext ctx) {
        ctx.setOutput(n, 0, ctx.inputType(n, 0), ctx.inputShape(n, 0));
    }

    private static DataType firstType(Node n, InferenceContext ctx) {
        for (Value v : n.inputs()) {
            if (ctx.elemType(v) != null) {
                return ctx.elemType(v);
            }
        }
        return null;
    }

    /** Output 0: every present input broadcast together; the element type given. */
    static void broadcastAll(Node n, InferenceContext ctx, DataType type) {
        Shape out = null;
        boolean first = true;
        for (Value v : n.inputs()) {
            if (v == null) {
                continue;
            }
            Shape s = ctx.shape(v);
            if (s == null) {
                ctx.setOutput(n, 0, type, null);
                return;
            }
            out = first ? s : Dims.broadcast(out, s);
            first = false;
        }
        ctx.setOutput(n, 0, type, out);
        trackValues(n, ctx);
    }

    private static void where(Node n, InferenceContext ctx) {
        Shape c = ctx.inputShape(n, 0);
        Shape a = ctx.inputShape(n, 1);
        Shape b = ctx.inputShape(n, 2);
        DataType t = ctx.inputType(n, 1) != null ? ctx.inputType(n, 1) : ctx.inputType(n, 2);
        if (c == null || a == null || b == null) {
            ctx.setOutput(n, 0, t, null);
            return;
        }
        ctx.setOutput(n, 0, t, Dims.broadcast(Dims.broadcast(c, a), b));
        Optional<List<Dim>> cv = ctx.shapeValue(n.input(0));
        Optional<List<Dim>> av = ctx.shapeValue(n.input(1));
        Optional<List<Dim>> bv = ctx.shapeValue(n.input(2));
        if (cv.isPresent() && av.isPresent() && bv.isPresent()) {
            int len = Math.max(cv.get().size(), Math.max(av.get().size(), bv.get().size()));
            List<Dim> out = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                Dim cond = at(cv.get(), i, len);
                if (cond == null || !cond.isKnown()) {
                    return;
                }
                Dim pick = cond.value() != 0 ? at(av.get(), i, len) : at(bv.get(), i, len);
                if (pick == null) {
                    return;
                }
                out.add(pick);
            }
            ctx.setShapeValue(n.output(0), out);
        }
    }

    private static Dim at(List<Dim> list, int i, int len) {
        if (list.size() == len) {
            return list.get(i);
        }
        return list.size() == 1 ? list.get(0) : null;
    }

    /** Integer arithmetic and comparisons on tracked shape values (Shape → Gather → Mul → Concat chains). */
    private static void trackValues(Node n, InferenceContext ctx) {
        if (n.inputCount() != 2 || n.output(0) == null) {
            return;
        }
        Optional<List<Dim>> av = ctx.shapeValue(n.input(0));
        Optional<List<Dim>> bv = ctx.shapeValue(n.input(1));
        if (av.isEmpty() || bv.isEmpty()) {
            return;
        }
        BinaryOperator<Dim> op = switch (n.opType()) {
            case "Add" -> Dims::add;
            case "Mul" -> Dims::mul;
            case "Sub" -> (x, y) -> x.isKnown() && y.isKnown() ? Dim.of(Math.subtractExact(x.value(), y.value()))
                    : Dims.isKnown(y, 0) ? x : Dim.unknown();
            case "Div" -> (x, y) -> x.isKnown() && y.isKnown() && y.value() != 0 ? Dim.of(x.value() / y.value())
                    : Dims.isKnown(y, 1) ? x : Dim.unknown();
            case "Equal" -> (x, y) -> x.isKnown() && y.isKnown() ? Dim.of(x.value().equals(y.value()) ? 1 : 0)
                    : Dims.sameDim(x, y) ? Dim.of(1) : Dim.unknown();
            case "Less" -> (x, y) -> x.isKnown() && y.isKnown() ? Dim.of(x.value() < y.value() ? 1 : 0)
                    : Dim.unknown();
            case "Greater" -> (x, y) -> x.isKnown() && y.isKnown() ? Dim.of(x.value() > y.value() ? 1 : 0)
                    : Dim.unknown();
            default -> null;
        };
        if (op == null) {
            return;
        }
        int len = Math.max(av.get().size(), bv.get().size());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            Dim x = at(av.get(), i, len);
            Dim y = at(bv.get(), i, len);
            if (x == null || y == null) {
                return;
            }
            out.add(op.apply(x, y));
        }
        ctx.setShapeValue(n.output(0), out);
    }

    private static void cast(Node n, InferenceContext ctx) {
        DataType to = DataType.fromCode(Math.toIntExact(n.attr(TO))).orElse(null);
        ctx.setOutput(n, 0, to, ctx.inputShape(n, 0));
        DataType from = ctx.inputType(n, 0);
        if (to != null && InferenceContext.isInteger(to) && (from == null || InferenceContext.isInteger(from))) {
            ctx.shapeValue(n.input(0)).ifPresent(sv -> ctx.setShapeValue(n.output(0), sv));
        }
    }

    private static void dropout(Node n, InferenceContext ctx) {
        sameAsInput(n, ctx);
        DataType maskType = ctx.opset(n) >= 10 ? DataType.BOOL : ctx.inputType(n, 0);
        ctx.setOutput(n, 1, maskType, ctx.inputShape(n, 0));
    }

    private static void batchNorm(Node n, InferenceContext ctx) {
        sameAsInput(n, ctx);
        Shape channel = ctx.inputShape(n, 1);
        DataType statType = ctx.inputType(n, 3) != null ? ctx.inputType(n, 3) : ctx.inputType(n, 0);
        for (int i = 1; i < n.outputCount(); i++) {
            ctx.setOutput(n, i, statType, channel);
        }
    }

    private static void layerNorm(Node n, InferenceContext ctx) {
        sameAsInput(n, ctx);
        Shape x = ctx.inputShape(n, 0);
        if (n.outputCount() < 2) {
            return;
        }
        DataType stash = DataType.fromCode(Math.toIntExact(n.attrIfPresent(STASH_TYPE).orElse(1L)))
                .orElse(DataType.FLOAT);
        Shape stat = null;
        if (x != null) {
            int axis = Dims.axis(n.attrIfPresent(AXIS).orElse(-1L), x.rank());
            List<Dim> dims = new ArrayList<>(x.dims());
            for (int i = axis; i < dims.size(); i++) {
                dims.set(i, Dim.of(1));
            }
            stat = new Shape(dims);
        }
        ctx.setOutput(n, 1, stash, stat);
        ctx.setOutput(n, 2, stash, stat);
    }

    private static void constant(Node n, InferenceContext ctx) {
        Optional<Tensor> t = ctx.constant(n.output(0));
        if (t.isPresent()) {
            ctx.setOutput(n, 0, t.get().dataType(), t.get().shape());
            return;
        }
        if (n.attribute("value_string").isPresent()) {
            ctx.setOutput(n, 0, DataType.STRING, Shape.of());
        } else if (n.attribute("value_strings").isPresent()) {
            ctx.setOutput(n, 0, DataType.STRING, Shape.of(n.attribute("value_strings").get().asByteStrings().size()));
        } else if (n.attribute("sparse_value").isPresent()) {
            var sparse = n.attribute("sparse_value").get();
            if (!sparse.isReference()) {
                var st = sparse.asSparseTensor();
                ctx.setOutput(n, 0, st.values().dataType(), Shape.of(st.dims()));
            }
        }
    }

    private static void quantize(Node n, InferenceContext ctx) {
        DataType t = null;
        long outputDtype = n.attrIfPresent(OUTPUT_DTYPE).orElse(0L);
        if (outputDtype != 0) {
            t = DataType.fromCode(Math.toIntExact(outputDtype)).orElse(null);
        } else if (n.input(2) != null) {
            t = ctx.inputType(n, 2);
        } else {
            t = DataType.UINT8;
        }
        ctx.setOutput(n, 0, t, ctx.inputShape(n, 0));
    }
}
