package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;

/** Clip's bounds were float attributes until 11, then optional inputs in the data's type. */
final class ClipAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(11)) {
            Float min = node.attribute("min").map(Attribute::asFloat).orElse(null);
            Float max = node.attribute("max").map(Attribute::asFloat).orElse(null);
            node.removeAttribute("min");
            node.removeAttribute("max");
            if (min == null && max == null) {
                return node;
            }
            DataType type = NodeEditor.elemType(node.input(0));
            if (type == null) {
                throw new Refusal("the bounds need the input's element type, and it is unknown");
            }
            if (min != null) {
                NodeEditor.setInputAt(node, 1, edit.scalar("min", type, min));
            }
            if (max != null) {
                NodeEditor.setInputAt(node, 2, edit.scalar("max", type, max));
            }
        } else if (span.lowersPast(11)) {
            Float min = bound(node, 1, "min");
            Float max = bound(node, 2, "max");
            node.truncateInputs(1);
            if (min != null) {
                node.setAttribute(Attribute.ofFloat("min", min));
            }
            if (max != null) {
                node.setAttribute(Attribute.ofFloat("max", max));
            }
        }
        return node;
    }

    private static Float bound(Node node, int index, String what) {
        if (node.inputCount() <= index || node.input(index) == null) {
            return null;
        }
        Tensor t = NodeEditor.constantOf(node.input(index))
                .orElseThrow(() -> new Refusal("the " + what + " bound is computed at run time"));
        return t.toFloatArray()[0];
    }
}
