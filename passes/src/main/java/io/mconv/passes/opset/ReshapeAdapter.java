package io.mconv.passes.opset;

import io.mconv.ir.Node;
import java.util.Arrays;

/**
 * Reshape-14 added {@code allowzero}: with it a 0 in the shape means a zero-sized dimension rather than "copy the
 * input's". Lowering keeps it only where the shape holds no zero, so the two readings agree.
 */
final class ReshapeAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.lowersPast(14) && Attrs.intOr(node, "allowzero", 0) != 0) {
            long[] shape = NodeEditor.constantOf(node.input(1)).map(io.mconv.ir.Tensor::toLongArray)
                    .orElseThrow(() -> new Refusal("allowzero=1 with a shape computed at run time has no equivalent "
                            + "before opset 14"));
            if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
                throw new Refusal("allowzero=1 with a 0 in the shape has no equivalent before opset 14");
            }
        }
        if (span.lowersPast(14)) {
            node.removeAttribute("allowzero");
        }
        return node;
    }
}
