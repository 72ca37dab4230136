package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;

/**
 * Constant gained {@code sparse_value} at 11 and the scalar and list shorthands ({@code value_float},
 * {@code value_ints}, ...) at 12. Lowering writes the shorthands as the tensor they stand for.
 */
final class ConstantAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.to() < 12) {
            node.attribute("value_float").ifPresent(a -> set(node, a, Tensor.ofFloats("", new long[0], a.asFloat())));
            node.attribute("value_floats").ifPresent(a -> set(node, a,
                    Tensor.ofFloats("", new long[] {a.asFloats().length}, a.asFloats())));
            node.attribute("value_int").ifPresent(a -> set(node, a, Tensor.ofLongs("", new long[0], a.asInt())));
            node.attribute("value_ints").ifPresent(a -> set(node, a,
                    Tensor.ofLongs("", new long[] {a.asInts().length}, a.asInts())));
            if (node.attribute("value_string").isPresent() || node.attribute("value_strings").isPresent()) {
                throw new Refusal("string shorthands have no equivalent before opset 12");
            }
        }
        if (span.to() < 11 && node.attribute("sparse_value").isPresent()) {
            throw new Refusal("sparse_value has no equivalent before opset 11");
        }
        return node;
    }

    private static void set(Node node, Attribute shorthand, Tensor value) {
        node.removeAttribute(shorthand.name());
        node.setAttribute(Attribute.ofTensor("value", value.withName(node.output(0).name())));
    }
}
