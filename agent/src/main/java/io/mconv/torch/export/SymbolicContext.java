package io.mconv.torch.export;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.UsedNames;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.shape.InferenceContext;
import io.mconv.shape.ShapeInference;
import io.mconv.shape.ShapeRules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a symbolic sees of the export in progress: the target opset, and a builder that appends ONNX nodes to the
 * graph being built (the main graph, or an If/Loop body while one is lowered), types each new node's outputs at
 * once with the optimizer's shape rules (symbolics need ranks and dtypes to choose their lowering), and makes
 * constants. Node names carry the module path, {@code /layer1/0/conv1/Conv_3}, as torch.onnx's do.
 */
public final class SymbolicContext {

    private final Graph mainGraph;
    private final int opset;
    private final Deque<Graph> graphs = new ArrayDeque<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private final InferenceContext inference = new InferenceContext();
    private final ShapeRules rules = ShapeRules.standard();
    /** Export-time folding handles shape arithmetic and small constants; big weight transforms are left to the
     * optimizer's constant folding after export. */
    private static final long MAX_FOLD_ELEMENTS = 4096;

    private final UsedNames usedNames = new UsedNames();
    private final io.mconv.eval.Evaluator evaluator = new io.mconv.eval.Evaluator();
    private int nodeCounter;

    public SymbolicContext(Graph mainGraph, int opset) {
        this.mainGraph = mainGraph;
        this.opset = opset;
        graphs.push(mainGraph);
    }

    public int opset() {
        return opset;
    }

    /** The graph nodes are appended to now. */
    public Graph graph() {
        return graphs.peek();
    }

    public Graph mainGraph() {
        return mainGraph;
    }

    // ---- scopes and subgraphs (used by the interpreter) -----------------------------------------------------

    void pushScope(String name) {
        scopes.push(name);
    }

    void popScope() {
        scopes.pop();
    }

    /** Starts appending to {@code sub} (an If branch or Loop body being built). */
    void pushGraph(Graph sub) {
        graphs.push(sub);
    }

    void popGraph() {
        graphs.pop();
    }

    // ---- emitting --------------------------------------------------------------------------------------------

    /** Appends a default-domain node with one output and returns it. */
    public Value op(String opType, List<Value> inputs, Attribute... attributes) {
        return ops(opType, 1, inputs, attributes).get(0);
    }

    /** Appends a default-domain node with {@code outputCount} outputs. */
    public List<Value> ops(String opType, int outputCount, List<Value> inputs, Attribute... attributes) {
        return opsInDomain("", opType, outputCount, inputs, attributes);
    }

    /** Appends a node of any domain; a null input leaves that optional input out. */
    public List<Value> opsInDomain(String domain, String opType, int outputCount, List<Value> inputs,
                                   Attribute... attributes) {
        if (domain.isEmpty() && ConstantTranspose.applies(opType, inputs, attributes)) {
            return List.of(constant(ConstantTranspose.of(inputs.get(0).constValue(),
                    inputs.get(0).name() + "_transposed")));
        }
        Graph g = graph();
        String name = freshName(scopePrefix() + opType + "_" + nodeCounter++);
        Node n = new Node(domain, opType, name);
        for (Value in : inputs) {
            n.addInput(in);
        }
        for (Attribute a : attributes) {
            n.setAttribute(a);
        }
        for (int i = 0; i < outputCount; i++) {
            n.addOutput(new Value(freshName(name + "_out" + (outputCount == 1 ? "" : i)), null));
        }
        g.append(n);
        if (domain.isEmpty() && allConstant(inputs)) {
            List<Value> folded = fold(n);
            if (folded != null) {
                return folded;
            }
        }
        ShapeInference.inferNode(n, inference, rules);
        return n.outputs();
    }

    /** Inputs all constants (weights, literals), none omitted, and small enough to compute here. */
    private static boolean allConstant(List<Value> inputs) {
        long elements = 0;
        for (Value in : inputs) {
            if (in == null || in.constValue() == null) {
                return false;
            }
            elements += in.constValue().elementCount();
        }
        return elements <= MAX_FOLD_ELEMENTS;
    }

    /**
     * Computes a node whose inputs are all constants with the reference evaluator and returns constants in its
     * place (the node is removed), or null when the evaluator does not take it. Traced code computes shapes from
     * constants ({@code int(NumToTensor(3))}, {@code floor_divide(c, 2)}); folding them here keeps those values
     * static, so later symbolics see known shapes instead of run-time ones.
     */
    private List<Value> fold(Node n) {
        try {
            if (evaluator.refusal(n).isPresent()) {
                return null;
            }
            List<Tensor> inputs = new ArrayList<>();
            for (Value in : n.inputs()) {
                inputs.add(in.constValue());
            }
            List<Tensor> results = evaluator.evaluate(n, inputs);
            List<Value> out = new ArrayList<>();
            for (Tensor t : results) {
                out.add(constant(t.withName("folded")));
            }
            graph().remove(n);
            return out;
        } catch (RuntimeException e) {
            return null; // the node stays; ONNX Runtime computes it
        }
    }

    /** Appends a node built elsewhere (If, Loop with their subgraphs) and types its outputs. */
    void append(Node node) {
        graph().append(node);
        ShapeInference.inferNode(node, inference, rules);
    }

    /** The innermost module path (each scope is already the full dotted path from the root). */
    private String scopePrefix() {
        String top = scopes.isEmpty() ? "" : scopes.peek();
        return top.isEmpty() ? "/" : "/" + top.replace('.', '/') + "/";
    }

    /** A value name no other value of the model has: every name of an export is made here, so one set suffices. */
    public String freshName(String base) {
        return usedNames.claim(base);
    }

    // ---- constants -------------------------------------------------------------------------------------------

    /** A constant as an initializer of the main graph (subgraphs see it from the outer scope). */
    public Value constant(Tensor tensor) {
        Value v = mainGraph.addInitializer(tensor.withName(freshName(tensor.name().isEmpty()
                ? "const" : tensor.name())));
        v.setType(new ValueType.TensorType(tensor.dataType(), Shape.of(tensor.dims())));
        return v;
    }

    /** A 1-D int64 constant. */
    public Value longs(long... values) {
        return constant(Tensor.ofLongs("const_ints", new long[] {values.length}, values));
    }

    /** A 0-d int64 constant. */
    public Value scalarLong(long value) {
        return constant(Tensor.ofLongs("const_int", new long[0], value));
    }

    /** A 0-d constant of {@code type} holding {@code value}. */
    public Value scalar(double value, DataType type) {
        return constant(ScalarTensors.of("const_scalar", value, type));
    }

    /**
     * A Python value as a tensor: a tensor as it is, a number as a 0-d constant of {@code like} (or of its Python
     * type's default dtype: int64, float32, bool, when like is null), a dynamic scalar cast to {@code like}, a
     * list of ints (static or dynamic) as a 1-D int64 tensor.
     */
    public Value tensorOf(SValue v, DataType like) {
        if (v instanceof SValue.TensorV t) {
            return t.value();
        }
        if (v instanceof SValue.Const c && c.value() instanceof Number n) {
            DataType type = like != null ? like : (n instanceof Long ? DataType.INT64 : DataType.FLOAT);
            return scalar(n.doubleValue(), type);
        }
        if (v instanceof SValue.Const c && c.value() instanceof Boolean b) {
            return scalar(b ? 1 : 0, like != null ? like : DataType.BOOL);
        }
        if (v instanceof SValue.DynScalar d) {
            return like == null ? d.value() : cast(d.value(), like);
        }
        if (v instanceof SValue.ListV || v instanceof SValue.TupleV) {
            return intList(v instanceof SValue.ListV l ? l.elements() : ((SValue.TupleV) v).elements());
        }
        throw new SymbolicException("expected a tensor or a number but got " + Describe.of(v));
    }

    private Value intList(List<SValue> items) {
        boolean allStatic = items.stream().allMatch(i -> i instanceof SValue.Const c && c.value() instanceof Long);
        if (allStatic) {
            return longs(items.stream().mapToLong(i -> (Long) ((SValue.Const) i).value()).toArray());
        }
        List<Value> parts = new ArrayList<>();
        for (SValue item : items) {
            if (item instanceof SValue.Const c && c.value() instanceof Long l) {
                parts.add(longs(l));
            } else if (item instanceof SValue.DynScalar d) {
                parts.add(op("Unsqueeze", List.of(cast(d.value(), DataType.INT64), longs(0))));
            } else if (item instanceof SValue.TensorV t) {
                parts.add(op("Reshape", List.of(cast(t.value(), DataType.INT64), longs(1))));
            } else {
                throw new SymbolicException("expected a list of ints but an element is " + Describe.of(item));
            }
        }
        return op("Concat", parts, Attribute.ofInt("axis", 0));
    }

    // ---- types -----------------------------------------------------------------------------------------------

    public DataType dtype(Value v) {
        if (v.type() instanceof ValueType.TensorType t && t.elemType() != null) {
            return t.elemType();
        }
        throw new SymbolicException("the element type of '" + v.name() + "' is not known");
    }

    /** The shape when known, else null. */
    public Shape shapeOrNull(Value v) {
        return v.type() instanceof ValueType.TensorType t ? t.shape() : null;
    }

    public int rank(Value v) {
        Shape s = shapeOrNull(v);
        if (s == null) {
            throw new SymbolicException("the rank of '" + v.name() + "' is not known");
        }
        return s.rank();
    }

    /** Casts unless {@code v} already has that element type. */
    public Value cast(Value v, DataType to) {
        if (v.type() instanceof ValueType.TensorType t && t.elemType() == to) {
            return v;
        }
        return op("Cast", List.of(v), Attribute.ofInt("to", to.code()));
    }

    /**
     * A reduction over {@code axes} (null: all axes) in the form the opset wants: axes as an attribute before
     * opset 18 (ReduceSum: before 13), as an input from then on.
     */
    public Value reduce(String opType, Value x, long[] axes, boolean keepDims) {
        int inputSince = opType.equals("ReduceSum") ? 13 : 18;
        Attribute keep = Attribute.ofInt("keepdims", keepDims ? 1 : 0);
        if (axes == null) {
            return op(opType, List.of(x), keep);
        }
        if (opset >= inputSince) {
            return op(opType, List.of(x, longs(axes)), keep);
        }
        return op(opType, List.of(x), Attribute.ofInts("axes", axes), keep);
    }
}
