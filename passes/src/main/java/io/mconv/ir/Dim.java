package io.mconv.ir;

import java.util.Objects;

/**
 * One dimension of a shape: a known size, a symbolic name ({@code batch}), or unknown. A denotation (rare) is kept
 * so that import and export are lossless.
 */
public record Dim(Long value, String param, String denotation) {

    public Dim {
        if (value != null && param != null) {
            throw new IllegalArgumentException("a dimension is either a value or a name, not both");
        }
    }

    public static Dim of(long value) {
        return new Dim(value, null, null);
    }

    public static Dim symbolic(String name) {
        return new Dim(null, Objects.requireNonNull(name), null);
    }

    public static Dim unknown() {
        return new Dim(null, null, null);
    }

    public boolean isKnown() {
        return value != null;
    }

    public boolean isSymbolic() {
        return param != null;
    }

    /** {@code 224}, {@code batch}, or {@code ?}. */
    @Override
    public String toString() {
        if (value != null) {
            return value.toString();
        }
        return param != null ? param : "?";
    }
}
