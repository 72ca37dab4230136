package io.mconv.passes.opset;

import io.mconv.ir.Node;

/**
 * Rewrites one operator whose definition changed between opsets into the form the target opset defines, with the
 * same meaning. Called once per node with the whole span (from, to), up or down; an adapter only acts on the
 * version boundaries the span crosses.
 */
interface OpAdapter {

    /**
     * @return the node now standing for the operator (the same node, a replacement, or null when it was expanded
     *         into nodes already valid at the target opset)
     * @throws Refusal when the node has no equivalent at the target opset
     */
    Node adapt(Node node, Span span, NodeEditor edit);
}
