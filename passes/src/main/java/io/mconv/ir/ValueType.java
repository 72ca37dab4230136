package io.mconv.ir;

/**
 * The type of a value: a tensor (the usual case), a sparse tensor, a sequence, a map, an optional, or an opaque
 * type. Every variant keeps the ONNX type denotation so that round trips are lossless.
 */
public sealed interface ValueType {

    String denotation();

    /** A dense tensor; {@code elemType} is null when the file leaves it undefined, {@code shape} null when unknown rank. */
    record TensorType(DataType elemType, Shape shape, String denotation) implements ValueType {
        public TensorType(DataType elemType, Shape shape) {
            this(elemType, shape, null);
        }

        @Override
        public String toString() {
            return "tensor(" + elemType + (shape == null ? "" : ", " + shape) + ")";
        }
    }

    record SparseTensorType(DataType elemType, Shape shape, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "sparse_tensor(" + elemType + (shape == null ? "" : ", " + shape) + ")";
        }
    }

    record SequenceType(ValueType elemType, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "seq(" + elemType + ")";
        }
    }

    record MapType(DataType keyType, ValueType valueType, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "map(" + keyType + ", " + valueType + ")";
        }
    }

    record OptionalType(ValueType elemType, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "optional(" + elemType + ")";
        }
    }

    record OpaqueType(String domain, String name, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "opaque(" + domain + "." + name + ")";
        }
    }

    /** An element of a sequence/optional/map whose type the file does not spell out. */
    record UnspecifiedType(String denotation) implements ValueType {
        @Override
        public String toString() {
            return "?";
        }
    }
}
