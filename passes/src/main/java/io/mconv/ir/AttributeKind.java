package io.mconv.ir;

import java.util.Optional;

/**
 * The kinds of ONNX attribute values. The codes are the wire values of {@code AttributeProto.AttributeType}; the
 * spec names ({@code "ints"}, {@code "graph"}, ...) are how operator schemas spell them.
 */
public enum AttributeKind {
    FLOAT(1, "float"),
    INT(2, "int"),
    STRING(3, "string"),
    TENSOR(4, "tensor"),
    GRAPH(5, "graph"),
    FLOATS(6, "floats"),
    INTS(7, "ints"),
    STRINGS(8, "strings"),
    TENSORS(9, "tensors"),
    GRAPHS(10, "graphs"),
    SPARSE_TENSOR(11, "sparse_tensor"),
    SPARSE_TENSORS(12, "sparse_tensors"),
    TYPE_PROTO(13, "type_proto"),
    TYPE_PROTOS(14, "type_protos");

    private final int code;
    private final String specName;

    AttributeKind(int code, String specName) {
        this.code = code;
        this.specName = specName;
    }

    public int code() {
        return code;
    }

    /** The lower-case name used by the ONNX operator specification. */
    public String specName() {
        return specName;
    }

    public boolean isList() {
        return switch (this) {
            case FLOATS, INTS, STRINGS, TENSORS, GRAPHS, SPARSE_TENSORS, TYPE_PROTOS -> true;
            default -> false;
        };
    }

    public static Optional<AttributeKind> fromCode(int code) {
        for (AttributeKind k : values()) {
            if (k.code == code) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public static Optional<AttributeKind> fromSpecName(String name) {
        for (AttributeKind k : values()) {
            if (k.specName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
