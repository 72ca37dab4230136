package io.mconv.passes;

import java.util.Locale;

/**
 * Which runtimes the optimized model must run on. PORTABLE: standard ONNX operators only. ORT: ONNX Runtime's
 * {@code com.microsoft} contrib operators are allowed too (Gelu, FusedConv, Attention, ...).
 */
public enum Target {
    PORTABLE, ORT;

    public static Target parse(String text) {
        for (Target t : values()) {
            if (t.name().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + text + "' (accepted: portable, ort)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
