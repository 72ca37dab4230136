package io.mconv.passes.opset;

import io.mconv.ir.Node;

/**
 * BatchNormalization dropped {@code is_test} at 7 and {@code spatial} at 9 (always spatial since), and at 14
 * replaced the training outputs (mean, var, saved mean, saved var) with {@code training_mode} and running
 * statistics. Only the inference form (one output, spatial) converts.
 */
final class BatchNormalizationAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(7)) {
            node.removeAttribute("is_test");
        }
        if (span.raisesPast(9)) {
            Attrs.dropIfInt(node, "spatial", 1, "(per-element statistics) has no equivalent from opset 9");
        }
        if (span.lowersPast(14)) {
            Attrs.dropIfInt(node, "training_mode", 0, "has no equivalent before opset 14");
        }
        Node n = node;
        if (n.outputCount() > 1 && (span.crosses(14) || span.crosses(9))) {
            n = edit.replace("BatchNormalization", 1);
        }
        return n;
    }
}
