package io.mconv.passes.opset;

import io.mconv.ir.Node;

/** Scatter was deprecated at 11 in favour of ScatterElements, which means the same (plus reductions from 16). */
final class ScatterAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (node.opType().equals("Scatter") && span.to() >= 11) {
            return edit.replace("ScatterElements", 1);
        }
        if (node.opType().equals("ScatterElements") && span.to() < 11) {
            if (!Attrs.stringOr(node, "reduction", "none").equals("none")) {
                throw new Refusal("reduction has no equivalent before opset 16");
            }
            node.removeAttribute("reduction");
            return edit.replace("Scatter", 1);
        }
        return node;
    }
}
