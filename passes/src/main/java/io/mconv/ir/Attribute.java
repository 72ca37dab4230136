package io.mconv.ir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One attribute of a node: a name, a kind and a typed value. Inside a function body an attribute may instead refer
 * to one of the function's own attributes ({@link #refAttrName()}), in which case it has no value.
 *
 * <p>Values are held as: FLOAT {@code Float}, INT {@code Long}, STRING {@code byte[]} (ONNX strings are bytes),
 * TENSOR {@link Tensor}, GRAPH {@link Graph}, SPARSE_TENSOR {@link SparseTensor}, TYPE_PROTO {@link ValueType},
 * FLOATS {@code float[]}, INTS {@code long[]}, STRINGS {@code List<byte[]>}, and lists for the other plural kinds.
 * Arrays are copied in and out, so an Attribute is immutable except for the graphs it holds.
 */
public final class Attribute {

    private final String name;
    private final AttributeKind kind;
    private final Object value;
    private final String refAttrName;
    private final String docString;

    private Attribute(String name, AttributeKind kind, Object value, String refAttrName, String docString) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.value = value;
        this.refAttrName = refAttrName;
        this.docString = docString;
    }

    public static Attribute ofFloat(String name, float v) {
        return new Attribute(name, AttributeKind.FLOAT, v, null, null);
    }

    public static Attribute ofInt(String name, long v) {
        return new Attribute(name, AttributeKind.INT, v, null, null);
    }

    public static Attribute ofString(String name, String v) {
        return new Attribute(name, AttributeKind.STRING, v.getBytes(StandardCharsets.UTF_8), null, null);
    }

    public static Attribute ofBytes(String name, byte[] v) {
        return new Attribute(name, AttributeKind.STRING, v.clone(), null, null);
    }

    public static Attribute ofTensor(String name, Tensor v) {
        return new Attribute(name, AttributeKind.TENSOR, Objects.requireNonNull(v), null, null);
    }

    public static Attribute ofGraph(String name, Graph v) {
        return new Attribute(name, AttributeKind.GRAPH, Objects.requireNonNull(v), null, null);
    }

    public static Attribute ofSparseTensor(String name, SparseTensor v) {
        return new Attribute(name, AttributeKind.SPARSE_TENSOR, Objects.requireNonNull(v), null, null);
    }

    public static Attribute ofType(String name, ValueType v) {
        return new Attribute(name, AttributeKind.TYPE_PROTO, Objects.requireNonNull(v), null, null);
    }

    public static Attribute ofFloats(String name, float... v) {
        return new Attribute(name, AttributeKind.FLOATS, v.clone(), null, null);
    }

    public static Attribute ofInts(String name, long... v) {
        return new Attribute(name, AttributeKind.INTS, v.clone(), null, null);
    }

    public static Attribute ofStrings(String name, List<String> v) {
        List<byte[]> bytes = new ArrayList<>();
        for (String s : v) {
            bytes.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return new Attribute(name, AttributeKind.STRINGS, List.copyOf(bytes), null, null);
    }

    public static Attribute ofByteStrings(String name, List<byte[]> v) {
        List<byte[]> bytes = new ArrayList<>();
        for (byte[] s : v) {
            bytes.add(s.clone());
        }
        return new Attribute(name, AttributeKind.STRINGS, List.copyOf(bytes), null, null);
    }

    public static Attribute ofTensors(String name, List<Tensor> v) {
        return new Attribute(name, AttributeKind.TENSORS, List.copyOf(v), null, null);
    }

    public static Attribute ofGraphs(String name, List<Graph> v) {
        return new Attribute(name, AttributeKind.GRAPHS, List.copyOf(v), null, null);
    }

    public static Attribute ofSparseTensors(String name, List<SparseTensor> v) {
        return new Attribute(name, AttributeKind.SPARSE_TENSORS, List.copyOf(v), null, null);
    }

    public static Attribute ofTypes(String name, List<ValueType> v) {
        return new Attribute(name, AttributeKind.TYPE_PROTOS, List.copyOf(v), null, null);
    }

    /** A reference, inside a function body, to the function's attribute {@code refAttrName}. */
    public static Attribute reference(String name, AttributeKind kind, String refAttrName) {
        return new Attribute(name, kind, null, Objects.requireNonNull(refAttrName), null);
    }

    public Attribute withDocString(String doc) {
        return new Attribute(name, kind, value, refAttrName, doc);
    }

    public String name() {
        return name;
    }

    public AttributeKind kind() {
        return kind;
    }

    public String refAttrName() {
        return refAttrName;
    }

    public boolean isReference() {
        return refAttrName != null;
    }

    public String docString() {
        return docString;
    }

    private <T> T expect(AttributeKind expected, Class<T> type) {
        if (kind != expected) {
            throw new IllegalStateException("attribute '" + name + "' is " + kind.specName() + ", not "
                    + expected.specName());
        }
        if (value == null) {
            throw new IllegalStateException("attribute '" + name + "' refers to function attribute '"
                    + refAttrName + "' and has no value of its own");
        }
        return type.cast(value);
    }

    public float asFloat() {
        return expect(AttributeKind.FLOAT, Float.class);
    }

    public long asInt() {
        return expect(AttributeKind.INT, Long.class);
    }

    public byte[] asBytes() {
        return expect(AttributeKind.STRING, byte[].class).clone();
    }

    public String asString() {
        return new String(expect(AttributeKind.STRING, byte[].class), StandardCharsets.UTF_8);
    }

    public Tensor asTensor() {
        return expect(AttributeKind.TENSOR, Tensor.class);
    }

    public Graph asGraph() {
        return expect(AttributeKind.GRAPH, Graph.class);
    }

    public SparseTensor asSparseTensor() {
        return expect(AttributeKind.SPARSE_TENSOR, SparseTensor.class);
    }

    public ValueType asType() {
        return expect(AttributeKind.TYPE_PROTO, ValueType.class);
    }

    public float[] asFloats() {
        return expect(AttributeKind.FLOATS, float[].class).clone();
    }

    public long[] asInts() {
        return expect(AttributeKind.INTS, long[].class).clone();
    }

    public List<byte[]> asByteStrings() {
        List<byte[]> out = new ArrayList<>();
        for (Object o : expect(AttributeKind.STRINGS, List.class)) {
            out.add(((byte[]) o).clone());
        }
        return out;
    }

    public List<String> asStrings() {
        List<String> out = new ArrayList<>();
        for (byte[] b : asByteStrings()) {
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public List<Tensor> asTensors() {
        return expect(AttributeKind.TENSORS, List.class);
    }

    @SuppressWarnings("unchecked")
    public List<Graph> asGraphs() {
        return expect(AttributeKind.GRAPHS, List.class);
    }

    @SuppressWarnings("unchecked")
    public List<SparseTensor> asSparseTensors() {
        return expect(AttributeKind.SPARSE_TENSORS, List.class);
    }

    @SuppressWarnings("unchecked")
    public List<ValueType> asTypes() {
        return expect(AttributeKind.TYPE_PROTOS, List.class);
    }

    /** The graphs this attribute holds (none, one or many): what passes recurse into. */
    public List<Graph> subgraphs() {
        if (value == null) {
            return List.of();
        }
        return switch (kind) {
            case GRAPH -> List.of(asGraph());
            case GRAPHS -> asGraphs();
            default -> List.of();
        };
    }

    @Override
    public String toString() {
        if (value == null) {
            return name + "=@" + refAttrName;
        }
        Object shown = switch (kind) {
            case STRING -> '"' + asString() + '"';
            case FLOATS -> java.util.Arrays.toString((float[]) value);
            case INTS -> java.util.Arrays.toString((long[]) value);
            case STRINGS -> asStrings();
            default -> value;
        };
        return name + "=" + shown;
    }
}
