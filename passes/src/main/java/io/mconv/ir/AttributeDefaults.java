package io.mconv.ir;

import io.mconv.schema.OpSchemaRegistry;
import java.util.Optional;

/**
 * Where an absent attribute's value comes from: the standard operator schema of the node's operator at the node's
 * opset. Kept apart from {@link Node} so the IR's link to the schema registry is in one place.
 */
final class AttributeDefaults {

    private AttributeDefaults() {
    }

    static Optional<Object> lookup(Node node, String attributeName) {
        int opset = node.opsetVersion();
        if (opset < 0) {
            return Optional.empty();
        }
        return OpSchemaRegistry.standard().get(node.domain(), node.opType(), opset)
                .flatMap(schema -> schema.attribute(attributeName))
                .flatMap(attr -> attr.defaultValue());
    }
}
