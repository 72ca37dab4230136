package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.passes.Target;
import java.util.List;

/**
 * LayerNormalization exists from 17. Lowering writes out its definition: the mean and the (biased) variance over
 * the dimensions from {@code axis} on, {@code (x - mean) / sqrt(var + epsilon) * scale + bias}; the optional Mean
 * and InvStdDev outputs are the mean and {@code 1 / sqrt(var + epsilon)} with the reduced dimensions kept. Float16
 * inputs, which the operator normalizes in float32, are refused rather than computed at lower precision.
 *
 * <p>The statistics stay in the input's type. ORT's CPU kernel accumulates them with a sequential float Welford
 * update, which no vectorized reduction reproduces, so outputs that the bias nearly cancels differ from it in
 * relative terms whatever the form; reducing in double was measured no closer to it (README, "Opset conversion"),
 * and this form is the one fuse-layer-norm folds back into LayerNormalization.
 *
 * <p>For the {@link Target#ORT ORT} target the node is kept as it is: ONNX Runtime registers its LayerNormalization
 * kernel in the ONNX domain for opsets 1 to 16 too ({@link OrtOnnxDomainOperators}), the same code as at 17, so the
 * kept node matches the original bit for bit where the written-out form differs by that rounding. The result is then
 * valid for ORT only, which is what that target means; the portable default writes it out.
 */
final class LayerNormalizationAdapter implements OpAdapter {

    private final Target target;

    LayerNormalizationAdapter(Target target) {
        this.target = target;
    }

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.to() >= 17 || target == Target.ORT) {
            return node;
        }
        Value x = node.input(0);
        DataType type = NodeEditor.elemType(x);
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new Refusal("decomposing needs a float or double input, and it is " + (type == null ? "unknown"
                    : type));
        }
        long[] axes = axes(node, span);
        float epsilon = Attrs.floatOr(node, "epsilon", 1e-5f);
        Value mean = reduceMean(edit, x, axes);
        Value centered = edit.apply("Sub", List.of(x, mean));
        Value variance = reduceMean(edit, edit.apply("Mul", List.of(centered, centered)), axes);
        Value std = edit.apply("Sqrt", List.of(edit.apply("Add", List.of(variance,
                edit.scalar("epsilon", type, epsilon)))));
        Value y = edit.apply("Mul", List.of(edit.apply("Div", List.of(centered, std)), node.input(1)));
        if (node.inputCount() > 2 && node.input(2) != null) {
            y = edit.apply("Add", List.of(y, node.input(2)));
        }
        // The optional Mean and InvStdDev outputs are by-products of the same computation.
        if (node.outputCount() > 1 && node.output(1) != null) {
            node.output(1).replaceAllUsesWith(mean, true);
        }
        if (node.outputCount() > 2 && node.output(2) != null) {
            node.output(2).replaceAllUsesWith(edit.apply("Reciprocal", List.of(std)), true);
        }
        edit.replaceOutputAndRemoveAnchor(node.output(0), y);
        return null;
    }

    /** The dimensions from axis on, as negative axes when allowed (no rank needed) and else against the rank. */
    private static long[] axes(Node node, Span span) {
        long axis = Attrs.intOr(node, "axis", -1);
        int rank = NodeEditor.rank(node.input(0));
        if (axis < 0) {
            long[] negative = NodeEditor.range(axis, 0);
            return span.to() >= 11 ? negative : NonNegativeAxes.of(node, negative);
        }
        if (rank < 0) {
            throw new Refusal("axis " + axis + " needs the input rank, and it is unknown");
        }
        return NodeEditor.range(axis, rank);
    }

    private static Value reduceMean(NodeEditor edit, Value x, long[] axes) {
        return edit.apply("ReduceMean", List.of(x), Attribute.ofInts("axes", axes), Attribute.ofInt("keepdims", 1));
    }
}
