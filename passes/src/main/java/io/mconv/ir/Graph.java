package io.mconv.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A computation graph: inputs, initializers, an ordered list of nodes and outputs. The nodes form a linked list so
 * that a pass can remove or insert nodes while it iterates. A graph is owned by a model, a function, or a node
 * (an If branch, a Loop or Scan body); the owner chain answers which opset a node is at and which outer values
 * a subgraph may read.
 */
public final class Graph implements Iterable<Node> {

    private String name;
    private String docString;
    private final PreservedFields preservedFields = new PreservedFields();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Value> initializers = new LinkedHashMap<>();
    private final Map<String, Value> sparseInitializers = new LinkedHashMap<>();
    private final List<QuantizationAnnotation> quantizationAnnotations = new ArrayList<>();
    private Map<String, String> metadata = Map.of();
    private Node head;
    private Node tail;
    private int size;
    private Model model;
    private Function function;
    private Node ownerNode;
    private Graph outerGraph;
    /** Built on the first {@link #uniqueName} call of the outermost graph, then kept up to date; null until then. */
    private UsedNames usedNames;

    public Graph(String name) {
        this.name = name == null ? "" : name;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
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

    // ---- ownership -------------------------------------------------------------------------------------------

    void attachToModel(Model m) {
        this.model = m;
    }

    void attachToFunction(Function f) {
        this.function = f;
    }

    /**
     * Declares this graph a subgraph of {@code outer}, held by {@code node} (which may not be attached yet while
     * a model is being built). Subgraph nodes may read values of {@code outer} and its own outer graphs.
     */
    public void attachAsSubgraph(Graph outer, Node node) {
        this.outerGraph = outer;
        this.ownerNode = node;
        // From now on the outermost graph answers for this one's names, and must know the ones it brings.
        this.usedNames = null;
        UsedNames outerNames = outermost().usedNames;
        if (outerNames != null) {
            collectNames(this, outerNames);
        }
    }

    /** The enclosing graph when this is a subgraph, else null. */
    public Graph outerGraph() {
        return outerGraph;
    }

    public Node ownerNode() {
        return ownerNode;
    }

    public Model model() {
        return outermost().model;
    }

    private Graph outermost() {
        Graph g = this;
        while (g.outerGraph != null) {
            g = g.outerGraph;
        }
        return g;
    }

    /** The opset version of {@code domain} for nodes in this graph, or -1 when no opset import names it. */
    public int opsetVersion(String domain) {
        Graph g = outermost();
        if (g.function != null) {
            return g.function.opsetVersion(domain);
        }
        return g.model == null ? -1 : g.model.opsetVersion(domain);
    }

    // ---- inputs, outputs, initializers -----------------------------------------------------------------------

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public void addInput(Value value) {
        adopt(value);
        inputs.add(value);
    }

    public void removeInput(Value value) {
        inputs.remove(value);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** Adds a graph output; the value must be defined in this graph or an outer one. */
    public void addOutput(Value value) {
        outputs.add(value);
    }

    public void setOutput(int index, Value value) {
        outputs.set(index, value);
    }

    public void removeOutput(int index) {
        outputs.remove(index);
    }

    public Map<String, Value> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** Adds an initializer: a value named like the tensor, holding it as its constant. */
    public Value addInitializer(Tensor tensor) {
        Value v = new Value(tensor.name(), new ValueType.TensorType(tensor.dataType(), tensor.shape()));
        v.setConstValue(tensor);
        registerInitializer(v);
        return v;
    }

    /** Registers an existing value (possibly also a graph input, as IR < 4 files do) as an initializer. */
    public void registerInitializer(Value value) {
        if (value.constValue() == null) {
            throw new IllegalArgumentException("initializer '" + value.name() + "' has no constant");
        }
        if (initializers.containsKey(value.name())) {
            throw new InvalidGraphException("duplicate initializer '" + value.name() + "'");
        }
        adopt(value);
        initializers.put(value.name(), value);
    }

    public void removeInitializer(String initializerName) {
        initializers.remove(initializerName);
    }

    public Map<String, Value> sparseInitializers() {
        return Collections.unmodifiableMap(sparseInitializers);
    }

    public void registerSparseInitializer(Value value) {
        if (value.sparseConstValue() == null) {
            throw new IllegalArgumentException("sparse initializer '" + value.name() + "' has no constant");
        }
        if (sparseInitializers.containsKey(value.name()) || initializers.containsKey(value.name())) {
            throw new InvalidGraphException("duplicate initializer '" + value.name() + "'");
        }
        adopt(value);
        sparseInitializers.put(value.name(), value);
    }

    public List<QuantizationAnnotation> quantizationAnnotations() {
        return quantizationAnnotations;
    }

    private void adopt(Value value) {
        if (value.graph() != null && value.graph() != this) {
            throw new IllegalStateException("value '" + value.name() + "' already belongs to another graph");
        }
        value.setGraph(this);
        noteName(value.name());
    }

    /** Tells the name index, when there is one, of a name a value of this graph now has. */
    void noteName(String valueName) {
        UsedNames names = outermost().usedNames;
        if (names != null) {
            names.add(valueName);
        }
    }

    // ---- nodes -----------------------------------------------------------------------------------------------

    public int nodeCount() {
        return size;
    }

    public Node firstNode() {
        return head;
    }

    public Node lastNode() {
        return tail;
    }

    /** Appends a node at the end; its outputs become values of this graph. */
    public Node append(Node node) {
        link(node, tail, null);
        return node;
    }

    public Node insertBefore(Node anchor, Node node) {
        checkMember(anchor);
        link(node, anchor.prev, anchor);
        return node;
    }

    public Node insertAfter(Node anchor, Node node) {
        checkMember(anchor);
        link(node, anchor, anchor.next);
        return node;
    }

    private void link(Node node, Node before, Node after) {
        if (node.graph() != null) {
            throw new IllegalStateException(node + " is already in a graph");
        }
        node.setGraph(this);
        for (Value out : node.outputs()) {
            if (out != null) {
                adopt(out);
            }
        }
        for (Graph sub : node.subgraphs()) {
            sub.attachAsSubgraph(this, node);
        }
        node.prev = before;
        node.next = after;
        if (before == null) {
            head = node;
        } else {
            before.next = node;
        }
        if (after == null) {
            tail = node;
        } else {
            after.prev = node;
        }
        size++;
    }

    /**
     * Removes a node and releases its inputs.
     *
     * @throws IllegalStateException when one of its outputs is still used or is a graph output
     */
    public void remove(Node node) {
        checkMember(node);
        for (Value out : node.outputs()) {
            if (out != null && (out.hasUses() || outputs.contains(out))) {
                throw new IllegalStateException("cannot remove " + node + ": its output '" + out.name()
                        + "' is still used");
            }
        }
        node.detachInputs();
        unlink(node);
    }

    /** Moves a node elsewhere in the list without touching its edges (used by the topological sort). */
    void unlink(Node node) {
        if (node.prev == null) {
            head = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            tail = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        node.setGraph(null);
        size--;
    }

    private void checkMember(Node node) {
        if (node.graph() != this) {
            throw new IllegalArgumentException(node + " is not in graph '" + name + "'");
        }
    }

    /** Iterates the nodes in order; removing the current node (or nodes before it) during iteration is safe. */
    @Override
    public Iterator<Node> iterator() {
        return new Iterator<>() {
            private Node nextNode = head;

            @Override
            public boolean hasNext() {
                return nextNode != null;
            }

            @Override
            public Node next() {
                if (nextNode == null) {
                    throw new NoSuchElementException();
                }
                Node current = nextNode;
                nextNode = current.next;
                return current;
            }
        };
    }

    /** A snapshot list of the nodes, in order. */
    public List<Node> nodes() {
        List<Node> out = new ArrayList<>(size);
        for (Node n : this) {
            out.add(n);
        }
        return out;
    }

    /** Every value defined in this graph: inputs, initializers, sparse initializers and node outputs. */
    public List<Value> definedValues() {
        List<Value> out = new ArrayList<>(inputs);
        Set<Value> seen = new HashSet<>(inputs);
        for (Value v : initializers.values()) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        for (Value v : sparseInitializers.values()) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        for (Node n : this) {
            for (Value v : n.outputs()) {
                if (v != null && seen.add(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * A name not used by any value in this graph, its subgraphs or its outer graphs, built from {@code base}: base
     * itself when free, else {@code base_N}. The name is reserved: a second call never returns it again.
     */
    public String uniqueName(String base) {
        Graph root = outermost();
        if (root.usedNames == null) {
            root.usedNames = new UsedNames();
            collectNames(root, root.usedNames);
        }
        return root.usedNames.claim(base);
    }

    private static void collectNames(Graph g, UsedNames used) {
        for (Value v : g.definedValues()) {
            used.add(v.name());
        }
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                collectNames(sub, used);
            }
        }
    }

    @Override
    public String toString() {
        return "Graph(" + name + ", " + size + " nodes)";
    }
}
