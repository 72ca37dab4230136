package io.mconv.schema;

import java.util.Objects;

/**
 * One declared input or output of an operator version, as the ONNX spec lists it: the verifier and shape inference
 * need to know which positions exist, which may be left empty and which repeat.
 *
 * <p>{@code typeString} is either a type-constraint name ({@code T}) or a concrete type ({@code tensor(int64)}).
 * {@code minArity} is how many actual values the parameter needs at least: 1 for {@link Option#SINGLE}, 0 for
 * {@link Option#OPTIONAL}, and the spec's minimum for {@link Option#VARIADIC} (0 or 1 in the standard set).
 * {@code homogeneous} only means something for variadics (all values share one type); it is {@code true} otherwise.
 */
public record FormalParameter(String name, String typeString, Option option, boolean homogeneous, int minArity) {

    /** How many actual values a formal parameter takes. */
    public enum Option {
        /** Exactly one value. */
        SINGLE,
        /** Zero or one value (an empty name in a node means "absent"). */
        OPTIONAL,
        /** {@code minArity} or more values; only ever the last parameter. */
        VARIADIC
    }

    public FormalParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(typeString, "typeString");
        Objects.requireNonNull(option, "option");
        if (minArity < 0) {
            throw new IllegalArgumentException("minArity < 0: " + minArity);
        }
        if (option != Option.VARIADIC) {
            int expected = option == Option.SINGLE ? 1 : 0;
            if (minArity != expected || !homogeneous) {
                throw new IllegalArgumentException(
                        "a " + option + " parameter has minArity " + expected + " and is homogeneous: " + name);
            }
        }
    }

    public static FormalParameter single(String name, String typeString) {
        return new FormalParameter(name, typeString, Option.SINGLE, true, 1);
    }

    public static FormalParameter optional(String name, String typeString) {
        return new FormalParameter(name, typeString, Option.OPTIONAL, true, 0);
    }

    public static FormalParameter variadic(String name, String typeString, boolean homogeneous, int minArity) {
        return new FormalParameter(name, typeString, Option.VARIADIC, homogeneous, minArity);
    }

    public boolean isOptional() {
        return option == Option.OPTIONAL;
    }

    public boolean isVariadic() {
        return option == Option.VARIADIC;
    }

    /** True when {@link #typeString()} is a concrete type such as {@code tensor(int64)} rather than a constraint. */
    public boolean isConcreteType() {
        return typeString.indexOf('(') >= 0;
    }
}
