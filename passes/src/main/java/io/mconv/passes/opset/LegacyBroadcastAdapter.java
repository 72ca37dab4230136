package io.mconv.passes.opset;

import io.mconv.ir.Node;

/**
 * Before 7 the binary operators broadcast only when asked ({@code broadcast=1}), aligning the second operand's
 * dimensions at {@code axis} or, without it, at the end (what numpy broadcasting does when that operand's shape is
 * a suffix of the first's, the only shapes the old rule accepted). The suffix form raises to 7's numpy broadcasting
 * as it is; the {@code axis} form is refused.
 */
final class LegacyBroadcastAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(7)) {
            if (node.attribute("axis").isPresent() && Attrs.intOr(node, "broadcast", 0) != 0) {
                throw new Refusal("broadcast with axis has no equivalent from opset 7");
            }
            node.removeAttribute("broadcast");
            node.removeAttribute("axis");
        }
        return node;
    }
}
