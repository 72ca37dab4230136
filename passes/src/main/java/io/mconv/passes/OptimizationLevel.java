package io.mconv.passes;

import java.util.Locale;

/**
 * How far the optimizer may go. BASIC keeps the model portable to any ONNX runtime at its opset; AGGRESSIVE adds
 * fusions into newer standard ops (raising the opset only when asked). Each pass declares the lowest level it
 * runs at.
 */
public enum OptimizationLevel {
    NONE, BASIC, AGGRESSIVE;

    public boolean includes(OptimizationLevel other) {
        return compareTo(other) >= 0;
    }

    /** @throws IllegalArgumentException naming the value and the accepted ones */
    public static OptimizationLevel parse(String text) {
        for (OptimizationLevel l : values()) {
            if (l.name().equalsIgnoreCase(text.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown optimization level '" + text + "' (accepted: none, basic, "
                + "aggressive)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
