package io.mconv.torch.export;

import java.util.LinkedHashMap;
import java.util.Map;

/** The local variables of one function activation. Copies are taken to lower the branches of a dynamic if. */
final class Frame {

    private final Map<String, SValue> vars;

    Frame() {
        this(new LinkedHashMap<>());
    }

    private Frame(Map<String, SValue> vars) {
        this.vars = vars;
    }

    SValue get(String name) {
        return vars.get(name);
    }

    boolean has(String name) {
        return vars.containsKey(name);
    }

    void put(String name, SValue value) {
        vars.put(name, value);
    }

    Frame copy() {
        return new Frame(new LinkedHashMap<>(vars));
    }

    Map<String, SValue> variables() {
        return vars;
    }

    /** Rebinds every variable holding exactly {@code old} (an in-place op's target) to {@code replacement}. */
    void rebind(SValue old, SValue replacement) {
        for (Map.Entry<String, SValue> e : vars.entrySet()) {
            if (e.getValue() == old) {
                e.setValue(replacement);
            }
        }
    }
}
