package io.mconv.schema;

import io.mconv.ir.AttributeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One attribute an operator version declares: its kind, whether a node must set it, and the value it has when a node
 * leaves it out. This is mconv's single source of attribute defaults.
 *
 * <p>Default values are typed by kind: {@code Long} (int), {@code Float} (float), {@code String} (string),
 * {@code long[]} (ints), {@code float[]} (floats), {@code List<String>} (strings). No standard ONNX operator up to
 * opset 21 has a default for any other kind (tensor, graph, ... attributes are either required or have no default),
 * so other kinds cannot carry one; a later contrib schema that needs a tensor default must extend this class.
 * Arrays are copied on the way in and out, so instances are immutable.
 */
public final class AttributeSchema {
    private final String name;
    private final AttributeKind kind;
    private final boolean required;
    private final Object defaultValue; // null when there is none

    private AttributeSchema(String name, AttributeKind kind, boolean required, Object defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.required = required;
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("required attribute " + name + " cannot have a default");
        }
        this.defaultValue = defaultValue == null ? null : checkedCopy(kind, defaultValue, name);
    }

    /** An attribute a node must set. */
    public static AttributeSchema required(String name, AttributeKind kind) {
        return new AttributeSchema(name, kind, true, null);
    }

    /** An optional attribute with no default: absent means "not given" (its meaning is up to the operator). */
    public static AttributeSchema optional(String name, AttributeKind kind) {
        return new AttributeSchema(name, kind, false, null);
    }

    /** An optional attribute with a default of the Java type documented on this class. */
    public static AttributeSchema withDefault(String name, AttributeKind kind, Object defaultValue) {
        return new AttributeSchema(name, kind, false, Objects.requireNonNull(defaultValue, "defaultValue"));
    }

    public String name() {
        return name;
    }

    public AttributeKind kind() {
        return kind;
    }

    public boolean required() {
        return required;
    }

    /** The default value (a fresh copy for array kinds), or empty when the spec gives none. */
    public Optional<Object> defaultValue() {
        if (defaultValue instanceof long[] a) {
            return Optional.of(a.clone());
        }
        if (defaultValue instanceof float[] a) {
            return Optional.of(a.clone());
        }
        return Optional.ofNullable(defaultValue);
    }

    public boolean hasDefault() {
        return defaultValue != null;
    }

    private static Object checkedCopy(AttributeKind kind, Object value, String name) {
        switch (kind) {
            case INT:
                if (value instanceof Long) {
                    return value;
                }
                break;
            case FLOAT:
                if (value instanceof Float) {
                    return value;
                }
                break;
            case STRING:
                if (value instanceof String) {
                    return value;
                }
                break;
            case INTS:
                if (value instanceof long[] a) {
                    return a.clone();
                }
                break;
            case FLOATS:
                if (value instanceof float[] a) {
                    return a.clone();
                }
                break;
            case STRINGS:
                if (value instanceof List<?> list) {
                    List<String> copy = new ArrayList<>(list.size());
                    for (Object o : list) {
                        if (!(o instanceof String str)) {
                            throw new IllegalArgumentException("attribute " + name + ": strings default holds a "
                                    + (o == null ? "null" : o.getClass().getSimpleName()));
                        }
                        copy.add(str);
                    }
                    return Collections.unmodifiableList(copy);
                }
                break;
            default:
                throw new IllegalArgumentException("attribute " + name + ": defaults of kind " + kind.specName()
                        + " are not supported");
        }
        throw new IllegalArgumentException("attribute " + name + ": default " + value.getClass().getSimpleName()
                + " does not fit kind " + kind.specName());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AttributeSchema other)) {
            return false;
        }
        return name.equals(other.name) && kind == other.kind && required == other.required
                && Objects.deepEquals(defaultValue, other.defaultValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, required, Arrays.deepHashCode(new Object[] {defaultValue}));
    }

    @Override
    public String toString() {
        String d = "";
        if (defaultValue instanceof long[] a) {
            d = " = " + Arrays.toString(a);
        } else if (defaultValue instanceof float[] a) {
            d = " = " + Arrays.toString(a);
        } else if (defaultValue != null) {
            d = " = " + defaultValue;
        }
        return name + ": " + kind.specName() + (required ? " (required)" : "") + d;
    }
}
