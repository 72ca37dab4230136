package io.mconv.limits;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The value of every {@link Limit} for one run: the defaults unless a caller (the CLI's {@code --limit}) raised or
 * lowered some. Immutable, so one instance can be handed to every reader of the run.
 */
public record Limits(Map<Limit, Long> values) {

    private static final Limits DEFAULTS = new Limits(Map.of());

    /** @param values overrides; limits not in the map keep their defaults */
    public Limits {
        for (Map.Entry<Limit, Long> e : values.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("limit " + e.getKey().flagName() + " must be a positive number");
            }
        }
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
    }

    public static Limits defaults() {
        return DEFAULTS;
    }

    /** A copy with one limit set. */
    public Limits with(Limit limit, long value) {
        Map<Limit, Long> copy = new EnumMap<>(Limit.class);
        copy.putAll(values);
        copy.put(limit, value);
        return new Limits(copy);
    }

    public long get(Limit limit) {
        Long v = values.get(limit);
        return v != null ? v : limit.defaultValue();
    }

    /** For limits that bound an int quantity (depths, Java array sizes): values past int range act as no limit. */
    public int getInt(Limit limit) {
        return (int) Math.min(Integer.MAX_VALUE, get(limit));
    }

    /** {@link Limit#exceeded} with this run's value. */
    public String exceeded(Limit limit) {
        return limit.exceeded(get(limit));
    }
}
