package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;

/**
 * Split took its sizes as the {@code split} attribute until 13, then as an input; 18 added {@code num_outputs},
 * which must be given when the sizes are not. With num_outputs the last chunk may be smaller (ceil division), which
 * the older equal split never allowed: lowering writes the sizes out, so it needs the split dimension.
 */
final class SplitAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        long axis = Attrs.intOr(node, "axis", 0);
        if (span.raisesPast(13)) {
            long[] split = Attrs.ints(node, "split");
            if (split != null) {
                node.removeAttribute("split");
                NodeEditor.setInputAt(node, 1, edit.int64s("split", split));
            }
        }
        boolean hasSplitInput = node.inputCount() >= 2 && node.input(1) != null;
        if (span.raisesPast(18) && !hasSplitInput && Attrs.ints(node, "split") == null) {
            // The old form split evenly into as many chunks as outputs; a model that ran had a divisible dimension.
            node.setAttribute(Attribute.ofInt("num_outputs", node.outputCount()));
        }
        if (span.lowersPast(18) && node.attribute("num_outputs").isPresent()) {
            long n = Attrs.intOr(node, "num_outputs", node.outputCount());
            node.removeAttribute("num_outputs");
            long size = NodeEditor.dim(node.input(0), (int) axis);
            if (size < 0) {
                throw new Refusal("num_outputs=" + n + " needs the split dimension to write the sizes out, and it "
                        + "is unknown");
            }
            long chunk = (size + n - 1) / n;
            long[] sizes = new long[(int) n];
            for (int i = 0; i < n; i++) {
                sizes[i] = Math.max(0, Math.min(chunk, size - chunk * i));
            }
            NodeEditor.setInputAt(node, 1, edit.int64s("split", sizes));
        }
        if (span.lowersPast(13) && node.inputCount() >= 2 && node.input(1) != null) {
            long[] split = NodeEditor.constantInts(node, 1, "split");
            node.truncateInputs(1);
            node.setAttribute(Attribute.ofInts("split", split));
        }
        if (span.to() < 11 && axis < 0) {
            node.setAttribute(Attribute.ofInt("axis", NonNegativeAxes.of(node, axis)));
        }
        return node;
    }
}
