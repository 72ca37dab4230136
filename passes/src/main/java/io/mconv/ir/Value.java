package io.mconv.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named value in a graph: a graph input, an initializer (a constant) or a node's output. It knows its producer
 * and its uses, so passes can follow edges both ways. {@link #uses()} returns a snapshot: a pass may rewire uses
 * while iterating over it.
 */
public final class Value {

    private String name;
    private ValueType type;
    private Graph graph;
    private Node producer;
    private int producerIndex = -1;
    private final List<Usage> uses = new ArrayList<>();
    private Tensor constValue;
    private SparseTensor sparseConstValue;
    private String docString;
    private final PreservedFields preservedFields = new PreservedFields();
    private Map<String, String> metadata = Map.of();

    public Value(String name, ValueType type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
    }

    public String name() {
        return name;
    }

    /** Renames this value. Callers keep names unique within the graph (see {@link Graph#uniqueName}). */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
        Graph owner = graph != null ? graph : producer != null ? producer.graph() : null;
        if (owner != null) {
            owner.noteName(name);
        }
    }

    /** Null when the model gives no type. */
    public ValueType type() {
        return type;
    }

    public void setType(ValueType type) {
        this.type = type;
    }

    /** The element type when this is a typed tensor, else null. */
    public DataType elemType() {
        return type instanceof ValueType.TensorType t ? t.elemType() : null;
    }

    /** The shape when this is a tensor of known rank, else null. */
    public Shape shape() {
        return type instanceof ValueType.TensorType t ? t.shape() : null;
    }

    /** The graph that defines this value (for an outer-scope value used by a subgraph: the outer graph). */
    public Graph graph() {
        return graph;
    }

    void setGraph(Graph graph) {
        this.graph = graph;
    }

    /** The node that computes this value, or null for graph inputs and initializers. */
    public Node producer() {
        return producer;
    }

    /** Which output of its producer this value is, or -1. */
    public int producerIndex() {
        return producerIndex;
    }

    void setProducer(Node node, int index) {
        this.producer = node;
        this.producerIndex = index;
    }

    public List<Usage> uses() {
        return List.copyOf(uses);
    }

    public boolean hasUses() {
        return !uses.isEmpty();
    }

    void addUse(Node node, int index) {
        uses.add(new Usage(node, index));
    }

    void removeUse(Node node, int index) {
        for (int i = 0; i < uses.size(); i++) {
            Usage u = uses.get(i);
            if (u.node() == node && u.inputIndex() == index) {
                uses.remove(i);
                return;
            }
        }
        throw new IllegalStateException("value '" + name + "' has no use at input " + index + " of " + node);
    }

    /** The constant this value holds when it is an initializer, else null. */
    public Tensor constValue() {
        return constValue;
    }

    public void setConstValue(Tensor tensor) {
        this.constValue = tensor;
    }

    public SparseTensor sparseConstValue() {
        return sparseConstValue;
    }

    public void setSparseConstValue(SparseTensor sparse) {
        this.sparseConstValue = sparse;
    }

    public boolean isInitializer() {
        return graph != null && graph.initializers().get(name) == this;
    }

    public boolean isGraphInput() {
        return graph != null && graph.inputs().contains(this);
    }

    public boolean isGraphOutput() {
        return graph != null && graph.outputs().contains(this);
    }

    /** Unknown fields of the element this was read from, kept for writing back. */
    public PreservedFields preservedFields() {
        return preservedFields;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> props) {
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(props));
    }

    /**
     * Makes every consumer of this value read {@code replacement} instead. Refuses when this value is a graph
     * output: renaming a model's output changes its interface, so a caller must ask for it explicitly.
     */
    public void replaceAllUsesWith(Value replacement) {
        replaceAllUsesWith(replacement, false);
    }

    /**
     * As {@link #replaceAllUsesWith(Value)}; with {@code replaceGraphOutputs}, graph output slots holding this value
     * take {@code replacement} too, and the replacement takes this value's name so the model's interface keeps its
     * names (this value gets a fresh name).
     */
    public void replaceAllUsesWith(Value replacement, boolean replaceGraphOutputs) {
        if (replacement == this) {
            return;
        }
        boolean output = isGraphOutput();
        if (output && !replaceGraphOutputs) {
            throw new IllegalStateException("value '" + name + "' is a graph output; replacing it renames the "
                    + "model's output (pass replaceGraphOutputs=true to do so)");
        }
        for (Usage u : uses()) {
            u.node().setInput(u.inputIndex(), replacement);
        }
        if (output) {
            String outputName = name;
            List<Value> outputs = graph.outputs();
            for (int i = 0; i < outputs.size(); i++) {
                if (outputs.get(i) == this) {
                    graph.setOutput(i, replacement);
                }
            }
            setName(graph.uniqueName(outputName + "_replaced"));
            replacement.setName(outputName);
        }
    }

    @Override
    public String toString() {
        return "%" + name + (type == null ? "" : ": " + type);
    }
}
