package io.mconv.passes.rewrite;

import io.mconv.ir.Attribute;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.List;

/**
 * The only way a rule changes the graph. New nodes go before the rule's root (so they see the same values), new
 * initializers get unique names, and replaced nodes are removed once nothing reads them.
 */
public final class Rewriter {

    private final Graph graph;
    private final Node anchor;

    public Rewriter(Graph graph, Node anchor) {
        this.graph = graph;
        this.anchor = anchor;
    }

    public Graph graph() {
        return graph;
    }

    /** Adds a node before the root with one output named after {@code outputBase} and returns that output. */
    public Value addNode(String domain, String opType, List<Value> inputs, List<Attribute> attributes,
                         String outputBase) {
        return addNode(domain, opType, inputs, attributes, List.of(outputBase)).get(0);
    }

    /**
     * Adds a node before the root with one output per name base; returns the outputs. A null base leaves that
     * optional output omitted (its slot holds null), so a later output can be used alone.
     */
    public List<Value> addNode(String domain, String opType, List<Value> inputs, List<Attribute> attributes,
                               List<String> outputBases) {
        Node n = new Node(domain, opType, graph.uniqueName(anchor.name().isEmpty() ? opType : anchor.name() + "_"
                + opType));
        for (Value in : inputs) {
            n.addInput(in);
        }
        for (Attribute a : attributes) {
            n.setAttribute(a);
        }
        for (String base : outputBases) {
            n.addOutput(base == null ? null : new Value(graph.uniqueName(base), null));
        }
        graph.insertBefore(anchor, n);
        return n.outputs();
    }

    /** A new initializer holding {@code tensor}, named uniquely after {@code base}. */
    public Value addConstant(String base, Tensor tensor) {
        return graph.addInitializer(tensor.withName(graph.uniqueName(base)));
    }

    /**
     * Makes every reader of {@code oldValue} read {@code newValue}. A graph output keeps its name: the new value
     * takes it over. The new value inherits the old one's type when it has none.
     */
    public void replace(Value oldValue, Value newValue) {
        if (newValue.type() == null && oldValue.type() != null) {
            newValue.setType(oldValue.type());
        }
        oldValue.replaceAllUsesWith(newValue, true);
    }

    public void setType(Value v, ValueType type) {
        v.setType(type);
    }

    public void setAttribute(Node node, Attribute attribute) {
        node.setAttribute(attribute);
    }

    public void setInput(Node node, int index, Value value) {
        node.setInput(index, value);
    }

    /** Removes {@code nodes} in order if none of their outputs is read any more; returns how many were removed. */
    public int removeIfUnused(Node... nodes) {
        int removed = 0;
        for (Node n : nodes) {
            if (n.graph() == graph && n.outputs().stream().allMatch(v -> v == null || (!v.hasUses()
                    && !v.isGraphOutput()))) {
                graph.remove(n);
                removed++;
            }
        }
        return removed;
    }

    /** Drops an initializer that no node reads any more (and is not a graph input or output). */
    public void removeConstantIfUnused(Value v) {
        if (v.isInitializer() && !v.hasUses() && !v.isGraphInput() && !v.isGraphOutput()) {
            graph.removeInitializer(v.name());
        }
    }
}
