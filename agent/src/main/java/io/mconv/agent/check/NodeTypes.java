package io.mconv.agent.check;

import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.schema.FormalParameter;
import io.mconv.schema.OpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which type each type constraint of a node's schema stands for, read from the types of its inputs and outputs
 * (declared in the model or filled in by shape inference). Constraints whose values have no known type are left
 * out: the checker cannot judge them and does not guess.
 */
final class NodeTypes {

    private NodeTypes() {
    }

    /** Constraint name to type string ({@code T -> tensor(float)}); the first value bound wins. */
    static Map<String, String> bind(Node node, OpSchema schema) {
        Map<String, String> out = new LinkedHashMap<>();
        bindAll(node.inputs(), schema.inputs(), schema, out);
        bindAll(node.outputs(), schema.outputs(), schema, out);
        return out;
    }

    private static void bindAll(List<Value> values, List<FormalParameter> formals, OpSchema schema,
                                Map<String, String> out) {
        if (formals.isEmpty()) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            Value v = values.get(i);
            // A variadic last formal parameter covers every remaining position.
            FormalParameter p = formals.get(Math.min(i, formals.size() - 1));
            if (v == null || (i >= formals.size() && !p.isVariadic()) || p.isConcreteType()
                    || schema.typeConstraint(p.typeString()).isEmpty()) {
                continue;
            }
            TypeNames.typeString(v.type()).ifPresent(t -> out.putIfAbsent(p.typeString(), t));
        }
    }
}
