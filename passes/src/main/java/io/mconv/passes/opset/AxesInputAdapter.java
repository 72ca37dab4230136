package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;

/**
 * Squeeze and Unsqueeze (13), ReduceSum (13) and the other reductions (18) moved {@code axes} from an attribute to
 * an optional second input. Raising moves the attribute into a constant input; lowering needs that input to be a
 * constant. Reductions at 18 also gained {@code noop_with_empty_axes}, which only the default (reduce everything)
 * can lose. Below opset 11 axes had to be non-negative: they are normalized when the rank is known.
 */
final class AxesInputAdapter implements OpAdapter {

    private final int inputSince;

    AxesInputAdapter(int inputSince) {
        this.inputSince = inputSince;
    }

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(inputSince)) {
            long[] axes = Attrs.ints(node, "axes");
            if (axes != null) {
                node.removeAttribute("axes");
                NodeEditor.setInputAt(node, 1, edit.int64s("axes", axes));
            }
        } else if (span.lowersPast(inputSince)) {
            if (Attrs.intOr(node, "noop_with_empty_axes", 0) != 0) {
                boolean emptyAxes = node.inputCount() < 2 || node.input(1) == null
                        || NodeEditor.constantInts(node, 1, "axes").length == 0;
                if (emptyAxes) {
                    throw new Refusal("noop_with_empty_axes=1 with no axes has no equivalent before opset "
                            + inputSince);
                }
            }
            node.removeAttribute("noop_with_empty_axes");
            if (node.inputCount() >= 2 && node.input(1) != null) {
                long[] axes = NodeEditor.constantInts(node, 1, "axes");
                node.truncateInputs(1);
                node.setAttribute(Attribute.ofInts("axes", axes));
            }
            NodeEditor.trimTrailingAbsent(node);
        }
        if (span.to() < 11) {
            long[] axes = Attrs.ints(node, "axes");
            if (axes != null) {
                node.setAttribute(Attribute.ofInts("axes", NonNegativeAxes.of(node, axes)));
            }
        }
        return node;
    }
}
