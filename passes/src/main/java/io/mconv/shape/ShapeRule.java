package io.mconv.shape;

import io.mconv.ir.Node;

/**
 * Infers the types of one operator's outputs from its inputs and attributes. A rule reads through the
 * {@link InferenceContext} and reports each output with {@link InferenceContext#setOutput}; an output it cannot
 * work out it leaves alone (or reports with a null shape when only the element type is known). A rule may throw
 * {@link ShapeInferenceException} when the node is inconsistent; inference records a warning and goes on.
 */
@FunctionalInterface
public interface ShapeRule {

    void infer(Node node, InferenceContext ctx);
}
