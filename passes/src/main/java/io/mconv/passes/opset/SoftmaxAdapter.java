package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import java.util.List;

/**
 * Softmax, LogSoftmax and Hardmax before 13 coerced the input to 2-D at {@code axis} (default 1) and normalized
 * each row: over all dimensions from axis on. From 13 they normalize along the single dimension {@code axis}
 * (default -1). The two agree when axis is the last dimension. Otherwise raising flattens at the old axis,
 * normalizes the rows and restores the shape (this needs no rank); lowering moves the axis last with a transpose
 * and back (this needs the rank).
 */
final class SoftmaxAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(13)) {
            return raise(node, edit);
        }
        if (span.lowersPast(13)) {
            return lower(node, span, edit);
        }
        return node;
    }

    private static Node raise(Node node, NodeEditor edit) {
        long axis = Attrs.intOr(node, "axis", 1);
        int rank = NodeEditor.rank(node.input(0));
        long normalized = axis < 0 && rank >= 0 ? axis + rank : axis;
        if (rank >= 0 && normalized == rank - 1) {
            node.setAttribute(Attribute.ofInt("axis", normalized));
            return node;
        }
        Value x = node.input(0);
        Value rows = edit.apply("Flatten", List.of(x), Attribute.ofInt("axis", axis));
        Value normalizedRows = edit.apply(node.opType(), List.of(rows), Attribute.ofInt("axis", 1));
        Value shape = edit.apply("Shape", List.of(x));
        Value y = edit.apply("Reshape", List.of(normalizedRows, shape));
        edit.replaceOutputAndRemoveAnchor(node.output(0), y);
        return null;
    }

    private static Node lower(Node node, Span span, NodeEditor edit) {
        long axis = Attrs.intOr(node, "axis", -1);
        int rank = NodeEditor.rank(node.input(0));
        if (rank < 0) {
            if (axis == -1 && span.to() >= 11) {
                node.setAttribute(Attribute.ofInt("axis", -1));
                return node;
            }
            throw new Refusal("axis " + axis + " needs the input rank before opset 13, and it is unknown");
        }
        long a = axis < 0 ? axis + rank : axis;
        if (a == rank - 1) {
            node.setAttribute(Attribute.ofInt("axis", a));
            return node;
        }
        long[] perm = new long[rank];
        long[] inverse = new long[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (i != a) {
                perm[k++] = i;
            }
        }
        perm[rank - 1] = a;
        for (int i = 0; i < rank; i++) {
            inverse[(int) perm[i]] = i;
        }
        Value moved = edit.apply("Transpose", List.of(node.input(0)), Attribute.ofInts("perm", perm));
        Value normalized = edit.apply(node.opType(), List.of(moved), Attribute.ofInt("axis", rank - 1));
        Value y = edit.apply("Transpose", List.of(normalized), Attribute.ofInts("perm", inverse));
        edit.replaceOutputAndRemoveAnchor(node.output(0), y);
        return null;
    }
}
