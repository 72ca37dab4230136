package io.mconv.ir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator application. Inputs are values (a null slot is an omitted optional input, written as "" in ONNX),
 * outputs are values this node produces (a null slot is an omitted optional output). Setting an input keeps the
 * values' use lists right; attributes are read through typed {@link AttrKey}s.
 */
public final class Node {

    private String name;
    private final String domain;
    private final String opType;
    private String overload;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private String docString;
    private final PreservedFields preservedFields = new PreservedFields();
    private Map<String, String> metadata = Map.of();
    private Graph graph;
    Node prev;
    Node next;

    /**
     * @param domain operator domain; "" and "ai.onnx" both mean the default domain and are kept as given
     */
    public Node(String domain, String opType, String name) {
        this.domain = domain == null ? "" : domain;
        this.opType = Objects.requireNonNull(opType, "opType");
        this.name = name == null ? "" : name;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    public String domain() {
        return domain;
    }

    /** True for the default ONNX domain, however the file spells it. */
    public boolean isDefaultDomain() {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    public String opType() {
        return opType;
    }

    public String overload() {
        return overload;
    }

    public void setOverload(String overload) {
        this.overload = overload;
    }

    public Graph graph() {
        return graph;
    }

    void setGraph(Graph graph) {
        this.graph = graph;
    }

    // ---- inputs ----------------------------------------------------------------------------------------------

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public int inputCount() {
        return inputs.size();
    }

    /** The input at {@code index}, or null when the slot is absent or omitted. */
    public Value input(int index) {
        return index < inputs.size() ? inputs.get(index) : null;
    }

    public void addInput(Value value) {
        inputs.add(value);
        if (value != null) {
            value.addUse(this, inputs.size() - 1);
        }
    }

    public void setInput(int index, Value value) {
        Value old = inputs.get(index);
        if (old == value) {
            return;
        }
        if (old != null) {
            old.removeUse(this, index);
        }
        inputs.set(index, value);
        if (value != null) {
            value.addUse(this, index);
        }
    }

    /** Drops trailing inputs from {@code newCount} on (used when trailing optional inputs become omitted). */
    public void truncateInputs(int newCount) {
        for (int i = inputs.size() - 1; i >= newCount; i--) {
            Value v = inputs.remove(i);
            if (v != null) {
                v.removeUse(this, i);
            }
        }
    }

    /** Releases every input (so the values lose this use); the node keeps its slot count. */
    void detachInputs() {
        for (int i = 0; i < inputs.size(); i++) {
            Value v = inputs.get(i);
            if (v != null) {
                v.removeUse(this, i);
                inputs.set(i, null);
            }
        }
    }

    // ---- outputs ---------------------------------------------------------------------------------------------

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** The output at {@code index}, or null when absent. */
    public Value output(int index) {
        return index < outputs.size() ? outputs.get(index) : null;
    }

    public int outputCount() {
        return outputs.size();
    }

    /** Adds an output value produced by this node; pass null for an omitted optional output. */
    public Value addOutput(Value value) {
        if (value != null) {
            if (value.producer() != null) {
                throw new IllegalStateException("value '" + value.name() + "' already has a producer: "
                        + value.producer());
            }
            value.setProducer(this, outputs.size());
            if (graph != null) {
                graph.noteName(value.name());
            }
        }
        outputs.add(value);
        return value;
    }

    // ---- attributes ------------------------------------------------------------------------------------------

    public Collection<Attribute> attributes() {
        return Collections.unmodifiableCollection(attributes.values());
    }

    public Optional<Attribute> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    public boolean hasAttribute(AttrKey<?> key) {
        return attributes.containsKey(key.name());
    }

    public void setAttribute(Attribute attribute) {
        attributes.put(attribute.name(), attribute);
        if (graph != null) {
            // A body given to a node already in a graph gets its scope now, as at insertion, names included.
            for (Graph sub : attribute.subgraphs()) {
                sub.attachAsSubgraph(graph, this);
            }
        }
    }

    public void removeAttribute(String attributeName) {
        attributes.remove(attributeName);
    }

    /**
     * The attribute's value: as set on the node, else the operator schema's default at this node's opset.
     *
     * @throws IllegalStateException when the attribute is absent and the schema gives no default
     */
    public <T> T attr(AttrKey<T> key) {
        return attrIfPresent(key).orElseThrow(() -> new IllegalStateException("node " + this
                + " has no attribute '" + key.name() + "' and its schema gives no default"));
    }

    /** As {@link #attr}, but empty instead of an error when there is neither a value nor a default. */
    public <T> Optional<T> attrIfPresent(AttrKey<T> key) {
        Attribute a = attributes.get(key.name());
        if (a != null) {
            return Optional.of(key.read(a));
        }
        return AttributeDefaults.lookup(this, key.name()).map(key::convertDefault);
    }

    /** Every graph held by this node's attributes (If branches, Loop and Scan bodies). */
    public List<Graph> subgraphs() {
        List<Graph> out = new ArrayList<>();
        for (Attribute a : attributes.values()) {
            out.addAll(a.subgraphs());
        }
        return out;
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

    /** The opset version this node's domain has where it lives (model, function or enclosing graph), or -1. */
    public int opsetVersion() {
        return graph == null ? -1 : graph.opsetVersion(domain);
    }

    @Override
    public String toString() {
        String qualified = isDefaultDomain() ? opType : domain + "::" + opType;
        return name.isEmpty() ? qualified : qualified + "(" + name + ")";
    }
}
