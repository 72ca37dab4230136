package io.mconv.ir.testing;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.Random;

/**
 * Builds small IR models for tests in a few readable lines: {@code b.input("x", FLOAT, 1, 4)},
 * {@code b.node("Relu", x)}, {@code b.output(y)}. Weights come from a seeded generator so tests are repeatable.
 */
public final class ModelBuilder {

    private final Graph graph = new Graph("test");
    private final Model model = new Model(graph);
    private final Random random;
    private int counter;

    public ModelBuilder(int opset) {
        this(opset, 42);
    }

    public ModelBuilder(int opset, long seed) {
        model.setIrVersion(8L);
        model.opsetImports().put("", opset);
        model.setProducerName("mconv-tests");
        this.random = new Random(seed);
    }

    public Model model() {
        return model;
    }

    public Graph graph() {
        return graph;
    }

    public Value input(String name, DataType type, long... dims) {
        Value v = new Value(name, new ValueType.TensorType(type, Shape.of(dims)));
        graph.addInput(v);
        return v;
    }

    public Value input(String name, DataType type, Shape shape) {
        Value v = new Value(name, new ValueType.TensorType(type, shape));
        graph.addInput(v);
        return v;
    }

    /** A float initializer with seeded values in [-1, 1). */
    public Value weight(String name, long... dims) {
        float[] data = new float[(int) Tensor.elementCount(dims)];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() * 2 - 1;
        }
        return graph.addInitializer(Tensor.ofFloats(name, dims, data));
    }

    public Value constant(Tensor tensor) {
        return graph.addInitializer(tensor);
    }

    /** Appends a one-output node of the default domain; its output is named {@code <op>_<n>}. */
    public Value node(String opType, Value... inputs) {
        return nodeWith(opType, new Attribute[0], inputs);
    }

    public Value nodeWith(String opType, Attribute[] attributes, Value... inputs) {
        Node n = new Node("", opType, opType.toLowerCase() + "_node_" + counter);
        for (Value in : inputs) {
            n.addInput(in);
        }
        for (Attribute a : attributes) {
            n.setAttribute(a);
        }
        Value out = n.addOutput(new Value(opType.toLowerCase() + "_" + (counter++), null));
        graph.append(n);
        return out;
    }

    public ModelBuilder output(Value v, DataType type, long... dims) {
        v.setType(new ValueType.TensorType(type, Shape.of(dims)));
        graph.addOutput(v);
        return this;
    }

    public ModelBuilder output(Value v) {
        graph.addOutput(v);
        return this;
    }
}
