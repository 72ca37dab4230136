package io.mconv.passes.opset;

import io.mconv.ir.Node;

/**
 * Gemm before 7 broadcast C only with {@code broadcast=1}; from 7 C always broadcasts unidirectionally to [M, N].
 * Every C the old rule accepted (exactly [M, N], or broadcastable with the flag) is accepted by the new rule with
 * the same result, so raising past 7 drops the attribute. (No target is below 7, so nothing lowers past it.)
 */
final class GemmBroadcastAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(7)) {
            node.removeAttribute("broadcast");
        }
        return node;
    }
}
