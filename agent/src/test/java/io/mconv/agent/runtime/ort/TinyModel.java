package io.mconv.agent.runtime.ort;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/** A few lines per test model: inputs, initializers, nodes, outputs. Opset 17, IR version 8 unless changed. */
final class TinyModel {

    final Graph graph = new Graph("tiny");
    final Model model = new Model(graph);
    private int counter;

    TinyModel() {
        this(17);
    }

    TinyModel(int opset) {
        model.setIrVersion(opset >= 21 ? 10L : 8L);
        model.opsetImports().put("", opset);
    }

    static ValueType tensor(DataType type, Object... dims) {
        List<Dim> list = new ArrayList<>();
        for (Object d : dims) {
            list.add(d instanceof String s ? Dim.symbolic(s) : Dim.of(((Number) d).longValue()));
        }
        return new ValueType.TensorType(type, new Shape(list));
    }

    Value input(String name, ValueType type) {
        Value v = new Value(name, type);
        graph.addInput(v);
        return v;
    }

    Value initializer(Tensor t) {
        return graph.addInitializer(t);
    }

    /** Appends a node with one output of the given type (null type: let ORT infer it). */
    Value node(String op, ValueType outType, List<Value> inputs, Attribute... attrs) {
        Node n = new Node("", op, op + "_" + counter);
        for (Value in : inputs) {
            n.addInput(in);
        }
        for (Attribute a : attrs) {
            n.setAttribute(a);
        }
        Value out = n.addOutput(new Value(op.toLowerCase() + "_" + counter++, outType));
        graph.append(n);
        return out;
    }

    Value node(String op, ValueType outType, Value... inputs) {
        return node(op, outType, List.of(inputs));
    }

    TinyModel output(Value v) {
        graph.addOutput(v);
        return this;
    }

    /** x -> op -> y, the whole model. */
    static Model unary(String op, ValueType in, ValueType out, Attribute... attrs) {
        TinyModel m = new TinyModel();
        Value x = m.input("x", in);
        m.output(m.node(op, out, List.of(x), attrs));
        return m.model;
    }
}
