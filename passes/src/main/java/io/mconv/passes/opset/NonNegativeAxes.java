package io.mconv.passes.opset;

import io.mconv.ir.Node;

/**
 * Opset 11 allowed negative axes almost everywhere; older versions did not. Lowering below 11 rewrites negative
 * axes against the rank the axes refer to (the input's, or for Unsqueeze the output's), refusing when it is unknown.
 */
final class NonNegativeAxes {

    private NonNegativeAxes() {
    }

    static long[] of(Node node, long[] axes) {
        boolean negative = false;
        for (long a : axes) {
            negative |= a < 0;
        }
        if (!negative) {
            return axes;
        }
        int rank = NodeEditor.rank(node.opType().equals("Unsqueeze") ? node.output(0) : node.input(0));
        if (rank < 0) {
            throw new Refusal("negative axes need the input rank before opset 11, and it is unknown");
        }
        long[] out = axes.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] < 0 ? out[i] + rank : out[i];
        }
        return out;
    }

    static long of(Node node, long axis) {
        return of(node, new long[] {axis})[0];
    }
}
