package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import java.util.Arrays;

/**
 * Slice took starts, ends and axes as attributes until 10, then as inputs (with steps). Lowering needs constant
 * inputs and unit steps.
 */
final class SliceAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(10)) {
            long[] starts = Attrs.ints(node, "starts");
            long[] ends = Attrs.ints(node, "ends");
            long[] axes = Attrs.ints(node, "axes");
            node.removeAttribute("starts");
            node.removeAttribute("ends");
            node.removeAttribute("axes");
            NodeEditor.setInputAt(node, 1, edit.int64s("starts", starts));
            NodeEditor.setInputAt(node, 2, edit.int64s("ends", ends));
            if (axes != null) {
                NodeEditor.setInputAt(node, 3, edit.int64s("axes", axes));
            }
        } else if (span.lowersPast(10)) {
            long[] starts = NodeEditor.constantInts(node, 1, "starts");
            long[] ends = NodeEditor.constantInts(node, 2, "ends");
            long[] axes = node.inputCount() > 3 && node.input(3) != null
                    ? NodeEditor.constantInts(node, 3, "axes") : null;
            if (node.inputCount() > 4 && node.input(4) != null) {
                long[] steps = NodeEditor.constantInts(node, 4, "steps");
                if (Arrays.stream(steps).anyMatch(s -> s != 1)) {
                    throw new Refusal("steps " + Arrays.toString(steps) + " have no equivalent before opset 10");
                }
            }
            node.truncateInputs(1);
            node.setAttribute(Attribute.ofInts("starts", starts));
            node.setAttribute(Attribute.ofInts("ends", ends));
            if (axes != null) {
                node.setAttribute(Attribute.ofInts("axes", NonNegativeAxes.of(node, axes)));
            }
        }
        return node;
    }
}
