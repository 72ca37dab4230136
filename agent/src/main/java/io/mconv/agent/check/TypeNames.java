package io.mconv.agent.check;

import io.mconv.ir.DataType;
import io.mconv.ir.ValueType;
import java.util.Locale;
import java.util.Optional;

/**
 * The ONNX spelling of value types, as operator schemas and the capability tables write them: {@code tensor(float)},
 * {@code seq(tensor(int64))}, {@code optional(tensor(float))}. The tables shorten a tensor type to its element
 * name ({@code float}); {@link #shortName} and {@link #fromShortName} convert between the two.
 */
public final class TypeNames {

    private TypeNames() {
    }

    /** The ONNX element name: {@code float}, {@code double}, {@code float16}, {@code bfloat16}, {@code int64}. */
    public static String elementName(DataType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DataType> elementType(String onnxName) {
        for (DataType t : DataType.values()) {
            if (elementName(t).equals(onnxName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The schema type string of a value type; empty when the type is unknown or its element type is missing. */
    public static Optional<String> typeString(ValueType type) {
        if (type instanceof ValueType.TensorType t) {
            return t.elemType() == null ? Optional.empty() : Optional.of("tensor(" + elementName(t.elemType()) + ")");
        }
        if (type instanceof ValueType.SparseTensorType t) {
            return t.elemType() == null ? Optional.empty()
                    : Optional.of("sparse_tensor(" + elementName(t.elemType()) + ")");
        }
        if (type instanceof ValueType.SequenceType s) {
            return typeString(s.elemType()).map(e -> "seq(" + e + ")");
        }
        if (type instanceof ValueType.OptionalType o) {
            return typeString(o.elemType()).map(e -> "optional(" + e + ")");
        }
        if (type instanceof ValueType.MapType m) {
            return m.keyType() == null ? Optional.empty()
                    : typeString(m.valueType()).map(v -> "map(" + elementName(m.keyType()) + ", " + v + ")");
        }
        return Optional.empty();
    }

    /** Parses a schema type string back into a value type of unknown shape; empty for forms it does not know. */
    public static Optional<ValueType> parse(String typeString) {
        String s = typeString.trim();
        if (s.startsWith("tensor(") && s.endsWith(")")) {
            return elementType(s.substring(7, s.length() - 1)).map(t -> new ValueType.TensorType(t, null));
        }
        if (s.startsWith("seq(") && s.endsWith(")")) {
            return parse(s.substring(4, s.length() - 1)).map(e -> new ValueType.SequenceType(e, null));
        }
        if (s.startsWith("optional(") && s.endsWith(")")) {
            return parse(s.substring(9, s.length() - 1)).map(e -> new ValueType.OptionalType(e, null));
        }
        return Optional.empty();
    }

    /** {@code tensor(float)} becomes {@code float}; other forms stay as they are. */
    public static String shortName(String typeString) {
        if (typeString.startsWith("tensor(") && typeString.endsWith(")")) {
            return typeString.substring(7, typeString.length() - 1);
        }
        return typeString;
    }

    /** The inverse of {@link #shortName}. */
    public static String fromShortName(String shortName) {
        return shortName.contains("(") ? shortName : "tensor(" + shortName + ")";
    }
}
