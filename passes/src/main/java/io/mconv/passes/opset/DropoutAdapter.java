package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;

/**
 * Dropout lost {@code is_test} at 7 (it became inference-only), changed its mask to bool at 10, and moved
 * {@code ratio} to an input at 12, beside the new {@code training_mode} input and {@code seed} attribute.
 */
final class DropoutAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        Node n = node;
        if (span.raisesPast(7)) {
            n.removeAttribute("is_test");
        }
        if (span.crosses(10) && n.outputCount() > 1) {
            // The mask's type changed (data type before 10, bool after): only an unused mask can cross.
            n = edit.replace("Dropout", 1);
        }
        if (span.raisesPast(12)) {
            float ratio = Attrs.floatOr(n, "ratio", 0.5f);
            n.removeAttribute("ratio");
            if (ratio != 0.5f) {
                NodeEditor.setInputAt(n, 1, new NodeEditor(n).scalar("ratio", DataType.FLOAT, ratio));
            }
        } else if (span.lowersPast(12)) {
            if (n.inputCount() > 2 && n.input(2) != null) {
                boolean training = NodeEditor.constantOf(n.input(2)).map(t -> t.rawBytes().get(0) != 0)
                        .orElseThrow(() -> new Refusal("training_mode is computed at run time"));
                if (training) {
                    throw new Refusal("training_mode=true has no equivalent before opset 12");
                }
            }
            float ratio = 0.5f;
            if (n.inputCount() > 1 && n.input(1) != null) {
                ratio = NodeEditor.constantOf(n.input(1)).map(Tensor::toFloatArray).map(a -> a[0])
                        .orElseThrow(() -> new Refusal("ratio is computed at run time"));
            }
            n.truncateInputs(1);
            n.removeAttribute("seed");
            n.setAttribute(Attribute.ofFloat("ratio", ratio));
        }
        return n;
    }
}
