package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;

/** TopK's k was an attribute until 10, then a 1-element int64 input; 11 added {@code largest} and {@code sorted}. */
final class TopKAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(10)) {
            long k = Attrs.intOr(node, "k", -1);
            node.removeAttribute("k");
            NodeEditor.setInputAt(node, 1, edit.int64s("k", k));
        }
        if (span.lowersPast(11)) {
            Attrs.dropIfInt(node, "largest", 1, "has no equivalent before opset 11");
            Attrs.dropIfInt(node, "sorted", 1, "has no equivalent before opset 11");
            long axis = Attrs.intOr(node, "axis", -1);
            node.setAttribute(Attribute.ofInt("axis", NonNegativeAxes.of(node, axis)));
        }
        if (span.lowersPast(10)) {
            long[] k = NodeEditor.constantInts(node, 1, "k");
            node.truncateInputs(1);
            node.setAttribute(Attribute.ofInt("k", k[0]));
        }
        return node;
    }
}
