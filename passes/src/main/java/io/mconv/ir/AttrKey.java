package io.mconv.ir;

import java.util.List;
import java.util.function.Function;

/**
 * A typed handle on an attribute: its name, its kind and how to read its value. Passes read attributes only
 * through keys ({@code node.attr(ConvAttrs.STRIDES)}), never by walking maps of objects, so a misspelled name or a
 * wrong type is a compile-time or first-use error, and absent attributes fall back to the operator schema's default.
 *
 * @param <T> the Java type of the value
 */
public final class AttrKey<T> {

    private final String name;
    private final AttributeKind kind;
    private final Function<Attribute, T> reader;
    private final Function<Object, T> defaultConverter;

    private AttrKey(String name, AttributeKind kind, Function<Attribute, T> reader,
                    Function<Object, T> defaultConverter) {
        this.name = name;
        this.kind = kind;
        this.reader = reader;
        this.defaultConverter = defaultConverter;
    }

    public static AttrKey<Long> ofInt(String name) {
        return new AttrKey<>(name, AttributeKind.INT, Attribute::asInt, o -> ((Number) o).longValue());
    }

    public static AttrKey<Float> ofFloat(String name) {
        return new AttrKey<>(name, AttributeKind.FLOAT, Attribute::asFloat, o -> ((Number) o).floatValue());
    }

    public static AttrKey<String> ofString(String name) {
        return new AttrKey<>(name, AttributeKind.STRING, Attribute::asString, o -> (String) o);
    }

    public static AttrKey<long[]> ofInts(String name) {
        return new AttrKey<>(name, AttributeKind.INTS, Attribute::asInts, o -> ((long[]) o).clone());
    }

    public static AttrKey<float[]> ofFloats(String name) {
        return new AttrKey<>(name, AttributeKind.FLOATS, Attribute::asFloats, o -> ((float[]) o).clone());
    }

    @SuppressWarnings("unchecked")
    public static AttrKey<List<String>> ofStrings(String name) {
        return new AttrKey<>(name, AttributeKind.STRINGS, Attribute::asStrings, o -> List.copyOf((List<String>) o));
    }

    public static AttrKey<Tensor> ofTensor(String name) {
        return new AttrKey<>(name, AttributeKind.TENSOR, Attribute::asTensor, o -> (Tensor) o);
    }

    public static AttrKey<Graph> ofGraph(String name) {
        return new AttrKey<>(name, AttributeKind.GRAPH, Attribute::asGraph, o -> (Graph) o);
    }

    public String name() {
        return name;
    }

    public AttributeKind kind() {
        return kind;
    }

    T read(Attribute attribute) {
        return reader.apply(attribute);
    }

    T convertDefault(Object schemaDefault) {
        return defaultConverter.apply(schemaDefault);
    }

    @Override
    public String toString() {
        return name + ":" + kind.specName();
    }
}
