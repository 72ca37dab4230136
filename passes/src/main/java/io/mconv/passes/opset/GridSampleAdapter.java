package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import java.util.Map;

/** GridSample-20 renamed its modes ({@code bilinear} to {@code linear}, {@code bicubic} to {@code cubic}). */
final class GridSampleAdapter implements OpAdapter {

    private static final Map<String, String> NEW_NAMES = Map.of("bilinear", "linear", "bicubic", "cubic");
    private static final Map<String, String> OLD_NAMES = Map.of("linear", "bilinear", "cubic", "bicubic");

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(20)) {
            String mode = Attrs.stringOr(node, "mode", "bilinear");
            node.setAttribute(Attribute.ofString("mode", NEW_NAMES.getOrDefault(mode, mode)));
        } else if (span.lowersPast(20)) {
            String mode = Attrs.stringOr(node, "mode", "linear");
            node.setAttribute(Attribute.ofString("mode", OLD_NAMES.getOrDefault(mode, mode)));
        }
        return node;
    }
}
