package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;

/**
 * Pad took {@code pads} and the float {@code value} as attributes until 11, then as inputs (the constant in the
 * data's own type); 18 added an optional {@code axes} input and 19 the {@code wrap} mode.
 */
final class PadAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(11)) {
            long[] pads = Attrs.ints(node, "pads");
            float value = Attrs.floatOr(node, "value", 0f);
            node.removeAttribute("pads");
            node.removeAttribute("value");
            NodeEditor.setInputAt(node, 1, edit.int64s("pads", pads));
            if (value != 0f) {
                DataType type = NodeEditor.elemType(node.input(0));
                if (type == null) {
                    throw new Refusal("the padding value needs the data's element type, and it is unknown");
                }
                NodeEditor.setInputAt(node, 2, edit.scalar("pad_value", type, value));
            }
            return node;
        }
        if (span.lowersPast(19) && "wrap".equals(Attrs.stringOr(node, "mode", "constant"))) {
            throw new Refusal("mode 'wrap' has no equivalent before opset 19");
        }
        if (span.lowersPast(18) && node.inputCount() > 3 && node.input(3) != null) {
            throw new Refusal("the axes input has no equivalent before opset 18");
        }
        if (span.lowersPast(11)) {
            long[] pads = NodeEditor.constantInts(node, 1, "pads");
            float value = 0f;
            if (node.inputCount() > 2 && node.input(2) != null) {
                Tensor v = NodeEditor.constantOf(node.input(2))
                        .orElseThrow(() -> new Refusal("the padding value is computed at run time"));
                value = v.toFloatArray()[0];
            }
            node.truncateInputs(1);
            node.setAttribute(Attribute.ofInts("pads", pads));
            if (value != 0f) {
                node.setAttribute(Attribute.ofFloat("value", value));
            }
        }
        return node;
    }
}
