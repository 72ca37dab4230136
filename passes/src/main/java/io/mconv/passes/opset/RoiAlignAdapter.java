package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;

/**
 * RoiAlign-16 added {@code coordinate_transformation_mode} with default {@code half_pixel}, while version 10
 * behaves as {@code output_half_pixel} (no half-pixel shift of the ROI): one of the few additions whose default
 * does not keep the old meaning, so raising writes the old mode out and lowering needs it.
 */
final class RoiAlignAdapter implements OpAdapter {

    private static final String MODE = "coordinate_transformation_mode";

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(16)) {
            node.setAttribute(Attribute.ofString(MODE, "output_half_pixel"));
        } else if (span.lowersPast(16)) {
            String mode = Attrs.stringOr(node, MODE, "half_pixel");
            if (!mode.equals("output_half_pixel")) {
                throw new Refusal(MODE + " '" + mode + "' has no equivalent before opset 16 (which always used "
                        + "output_half_pixel)");
            }
            node.removeAttribute(MODE);
        }
        return node;
    }
}
