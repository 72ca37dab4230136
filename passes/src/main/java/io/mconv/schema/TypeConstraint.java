package io.mconv.schema;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A named type variable of an operator version ({@code T}, {@code T1}, ...) and the type strings it may stand for,
 * in spec order, e.g. {@code tensor(float)}, {@code seq(tensor(int64))}, {@code map(string, float)}. Formal
 * parameters that name the same constraint must bind to the same type in a node.
 */
public record TypeConstraint(String name, Set<String> allowedTypes) {

    public TypeConstraint {
        Objects.requireNonNull(name, "name");
        allowedTypes = Collections.unmodifiableSet(new LinkedHashSet<>(allowedTypes));
        if (allowedTypes.isEmpty()) {
            throw new IllegalArgumentException("type constraint " + name + " allows no type");
        }
    }

    public boolean allows(String typeString) {
        return allowedTypes.contains(typeString);
    }
}
