package io.mconv.ir.serde;

import io.mconv.ir.Value;
import java.util.HashMap;
import java.util.Map;

/** Names visible while importing a graph: its own values, then those of the graphs around it. */
final class Scope {

    private final Map<String, Value> local = new HashMap<>();
    private final Scope outer;

    Scope(Scope outer) {
        this.outer = outer;
    }

    boolean definesLocally(String name) {
        return local.containsKey(name);
    }

    Value local(String name) {
        return local.get(name);
    }

    void define(String name, Value value) {
        local.put(name, value);
    }

    /** The value visible under {@code name}, searching outward; null when none. */
    Value lookup(String name) {
        for (Scope s = this; s != null; s = s.outer) {
            Value v = s.local.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
