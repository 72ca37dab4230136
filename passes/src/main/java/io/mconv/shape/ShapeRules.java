package io.mconv.shape;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table of shape rules, keyed by op type of the default ONNX domain. {@link #standard()} returns a fresh table
 * holding every rule mconv ships; callers (and later issues) add or replace rules with {@link #register}.
 */
public final class ShapeRules {

    private final Map<String, ShapeRule> rules = new TreeMap<>();

    private ShapeRules() {
    }

    public static ShapeRules empty() {
        return new ShapeRules();
    }

    /** A new table with the standard rules. */
    public static ShapeRules standard() {
        ShapeRules r = new ShapeRules();
        ElementwiseRules.register(r);
        ConvPoolRules.register(r);
        LinalgRules.register(r);
        TensorRules.register(r);
        ReduceRules.register(r);
        RecurrentRules.register(r);
        return r;
    }

    /** Adds or replaces the rule for {@code opType}; returns this table. */
    public ShapeRules register(String opType, ShapeRule rule) {
        rules.put(opType, rule);
        return this;
    }

    public ShapeRules registerAll(ShapeRule rule, String... opTypes) {
        for (String op : opTypes) {
            register(op, rule);
        }
        return this;
    }

    public Optional<ShapeRule> get(String opType) {
        return Optional.ofNullable(rules.get(opType));
    }

    public Set<String> opTypes() {
        return Collections.unmodifiableSet(rules.keySet());
    }
}
