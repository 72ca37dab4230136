package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The edits adapters make around the node they convert: constants and helper nodes inserted just before it (so
 * they work the same in subgraphs, which may not own initializers the way the main graph does), node replacement
 * under a new operator name, reading constant inputs, and the rank of a value when inference knew it.
 */
final class NodeEditor {

    private final Node anchor;
    private final Graph graph;

    NodeEditor(Node anchor) {
        this.anchor = anchor;
        this.graph = anchor.graph();
    }

    /** A Constant node before the anchor holding a 1-D int64 tensor. */
    Value int64s(String base, long... values) {
        return constant(base, Tensor.ofLongs("", new long[] {values.length}, values));
    }

    /** A scalar of {@code type} (a floating-point type) holding {@code value}. */
    Value scalar(String base, DataType type, double value) {
        Tensor t = switch (type) {
            case FLOAT -> Tensor.ofFloats("", new long[0], (float) value);
            case DOUBLE -> Tensor.ofDoubles("", new long[0], value);
            case FLOAT16 -> Tensor.ofRaw("", DataType.FLOAT16, new long[0], halfBytes((float) value));
            default -> throw new Refusal("cannot write a " + type + " scalar constant");
        };
        return constant(base, t);
    }

    /** An empty float tensor: the placeholder older Resize versions need for an unused roi or scales input. */
    Value emptyFloats(String base) {
        return constant(base, Tensor.ofFloats("", new long[] {0}));
    }

    Value constant(String base, Tensor tensor) {
        Value out = new Value(graph.uniqueName(anchor.name().isEmpty() ? base : anchor.name() + "_" + base), null);
        Node c = new Node("", "Constant", nodeName(out.name()));
        c.setAttribute(Attribute.ofTensor("value", tensor.withName(out.name())));
        c.addOutput(out);
        graph.insertBefore(anchor, c);
        return out;
    }

    /** ORT wants node names unique within a graph, as value names are; a new node gets one used by neither. */
    private String nodeName(String base) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Node n : graph) {
            used.add(n.name());
        }
        String candidate = graph.uniqueName(base);
        for (int i = 1; used.contains(candidate); i++) {
            candidate = graph.uniqueName(base + "_" + i);
        }
        return candidate;
    }

    /** A helper node before the anchor with fresh outputs. */
    Node insert(String opType, List<Value> inputs, int outputs, Attribute... attributes) {
        Node n = new Node("", opType, nodeName(anchor.name() + "_" + opType.toLowerCase()));
        for (Value v : inputs) {
            n.addInput(v);
        }
        for (Attribute a : attributes) {
            n.setAttribute(a);
        }
        for (int i = 0; i < outputs; i++) {
            n.addOutput(new Value(graph.uniqueName(n.name() + "_out" + i), null));
        }
        graph.insertBefore(anchor, n);
        return n;
    }

    /** Single-output shorthand for {@link #insert}. */
    Value apply(String opType, List<Value> inputs, Attribute... attributes) {
        return insert(opType, inputs, 1, attributes).output(0);
    }

    /**
     * Puts a node of another operator in the anchor's place: same name, inputs and attributes, the first
     * {@code keptOutputs} outputs taking over the old ones (names, types, consumers, graph-output slots).
     */
    Node replace(String opType, int keptOutputs) {
        for (int i = keptOutputs; i < anchor.outputCount(); i++) {
            Value dropped = anchor.output(i);
            if (dropped != null && (dropped.hasUses() || dropped.isGraphOutput())) {
                throw new Refusal("output " + i + " ('" + dropped.name() + "') is used but has no equivalent");
            }
        }
        Node n = new Node(anchor.domain(), opType, anchor.name());
        for (Value v : anchor.inputs()) {
            n.addInput(v);
        }
        for (Attribute a : anchor.attributes()) {
            n.setAttribute(a);
        }
        n.setDocString(anchor.docString());
        for (int i = 0; i < Math.min(keptOutputs, anchor.outputCount()); i++) {
            Value old = anchor.output(i);
            n.addOutput(old == null ? null : new Value(graph.uniqueName(old.name() + "_new"), old.type()));
        }
        graph.insertBefore(anchor, n);
        takeOver(anchor, n);
        return n;
    }

    /** Makes {@code replacement}'s outputs stand for {@code old}'s, then removes {@code old}. */
    void takeOver(Node old, Node replacement) {
        String[] names = new String[replacement.outputCount()];
        for (int i = 0; i < replacement.outputCount(); i++) {
            Value was = old.output(i);
            Value now = replacement.output(i);
            if (was == null || now == null) {
                continue;
            }
            names[i] = was.name();
            was.replaceAllUsesWith(now, true);
        }
        old.truncateInputs(0);
        graph.remove(old);
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                replacement.output(i).setName(names[i]);
            }
        }
    }

    /** Makes every consumer of {@code old} (an output of the anchor) read {@code now}, then drops the anchor. */
    void replaceOutputAndRemoveAnchor(Value old, Value now) {
        String name = old.name();
        old.replaceAllUsesWith(now, true);
        anchor.truncateInputs(0);
        graph.remove(anchor);
        now.setName(name);
    }

    /**
     * Makes the consumers of each of the anchor's outputs read the value at the same position of {@code now} (null
     * where the anchor's output is absent), then drops the anchor; the new values take the old names.
     */
    void replaceOutputsAndRemoveAnchor(List<Value> now) {
        String[] names = new String[now.size()];
        for (int i = 0; i < now.size(); i++) {
            Value old = anchor.output(i);
            if (old != null && now.get(i) != null) {
                names[i] = old.name();
                old.replaceAllUsesWith(now.get(i), true);
            }
        }
        anchor.truncateInputs(0);
        graph.remove(anchor);
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                now.get(i).setName(names[i]);
            }
        }
    }

    /** The tensor a value always holds: an initializer or a Constant node's {@code value}. */
    static Optional<Tensor> constantOf(Value v) {
        if (v == null) {
            return Optional.empty();
        }
        if (v.constValue() != null && !v.isGraphInput()) {
            return Optional.of(v.constValue());
        }
        Node p = v.producer();
        if (p != null && p.isDefaultDomain() && p.opType().equals("Constant")) {
            return p.attribute("value").map(Attribute::asTensor);
        }
        return Optional.empty();
    }

    /** The int64 values of a constant input, or a refusal naming what was expected. */
    static long[] constantInts(Node node, int input, String what) {
        return constantOf(node.input(input)).map(Tensor::toLongArray)
                .orElseThrow(() -> new Refusal(what + " is computed at run time; the older form needs it as an "
                        + "attribute"));
    }

    /** The rank inference found for a value, or -1. */
    static int rank(Value v) {
        if (v != null && v.type() instanceof ValueType.TensorType t && t.shape() != null) {
            return t.shape().rank();
        }
        return -1;
    }

    /** The element type inference found, or null. */
    static DataType elemType(Value v) {
        return v != null && v.type() instanceof ValueType.TensorType t ? t.elemType() : null;
    }

    /** The size of dimension {@code axis} when known, else -1. */
    static long dim(Value v, int axis) {
        if (v != null && v.type() instanceof ValueType.TensorType t && t.shape() != null) {
            int r = t.shape().rank();
            int a = axis < 0 ? axis + r : axis;
            if (a >= 0 && a < r && t.shape().dim(a).isKnown()) {
                return t.shape().dim(a).value();
            }
        }
        return -1;
    }

    /** Drops trailing absent inputs so that a node's input list ends with a present value. */
    static void trimTrailingAbsent(Node n) {
        int count = n.inputCount();
        while (count > 0 && n.input(count - 1) == null) {
            count--;
        }
        n.truncateInputs(count);
    }

    /** Sets input {@code index}, padding with absent inputs as needed. */
    static void setInputAt(Node n, int index, Value v) {
        while (n.inputCount() <= index) {
            n.addInput(null);
        }
        n.setInput(index, v);
    }

    static long[] range(long from, long toExclusive) {
        long[] out = new long[(int) Math.max(0, toExclusive - from)];
        Arrays.setAll(out, i -> from + i);
        return out;
    }

    private static ByteBuffer halfBytes(float value) {
        ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(io.mconv.ir.HalfPrecision.floatToFloat16(value));
        return b.flip();
    }
}
