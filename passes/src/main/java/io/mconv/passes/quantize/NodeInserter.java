package io.mconv.passes.quantize;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.List;

/** Adds nodes and initializers in front of one anchor node, with graph-unique names derived from a base name. */
final class NodeInserter {

    private final Graph graph;
    private final Node anchor;

    NodeInserter(Graph graph, Node anchor) {
        this.graph = graph;
        this.anchor = anchor;
    }

    /** A node with one output per entry of {@code outputTypes} (null type: unknown); returns the outputs. */
    List<Value> node(String domain, String opType, String base, List<Value> inputs, List<Attribute> attributes,
                     List<ValueType> outputTypes) {
        // short suffixes: these names repeat in every reader, and quantization is about bytes
        String first = graph.uniqueName(base + "_" + tag(opType));
        Node n = new Node(domain, opType, first);
        for (Value in : inputs) {
            n.addInput(in);
        }
        for (Attribute a : attributes) {
            n.setAttribute(a);
        }
        for (int i = 0; i < outputTypes.size(); i++) {
            n.addOutput(new Value(i == 0 ? first : graph.uniqueName(first + "_" + i), outputTypes.get(i)));
        }
        graph.insertBefore(anchor, n);
        return n.outputs();
    }

    /** The op type's capitals, lower-cased: MatMulInteger → mmi, DequantizeLinear → dl. */
    static String tag(String opType) {
        StringBuilder b = new StringBuilder();
        for (char c : opType.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.length() == 0 ? opType : b.toString();
    }

    Value node(String opType, String base, List<Value> inputs, List<Attribute> attributes, ValueType outputType) {
        return node("", opType, base, inputs, attributes, java.util.Collections.singletonList(outputType)).get(0);
    }

    Value initializer(Tensor tensor) {
        return graph.addInitializer(tensor.withName(graph.uniqueName(tensor.name())));
    }

    static ValueType tensorType(DataType type, Shape shape) {
        return new ValueType.TensorType(type, shape);
    }

    /**
     * Makes {@code replacement} take the place of {@code original} everywhere (graph outputs included) and, once the
     * old producer is gone, take its name too, so graph output names and downstream names stay as they were.
     */
    static void takeOver(Graph graph, Node oldProducer, Value original, Value replacement) {
        String name = original.name();
        ValueType type = original.type();
        original.replaceAllUsesWith(replacement, true);
        graph.remove(oldProducer);
        replacement.setName(name);
        if (type != null) {
            replacement.setType(type);
        }
    }

    /** Drops a float initializer the rewrite made unused (a shared weight stays while anything still reads it). */
    static void dropIfUnused(Graph graph, Value weight) {
        if (weight.isInitializer() && !weight.hasUses() && !weight.isGraphOutput() && !weight.isGraphInput()) {
            graph.removeInitializer(weight.name());
        }
    }
}
