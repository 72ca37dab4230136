package io.mconv.agent.quantize;

import java.util.Locale;

/** What {@code mconv quantize} does to the weights (and activations). STATIC is the calibrated int8 of its own build. */
public enum QuantizeMode {
    DYNAMIC("dynamic"), STATIC("static"), WEIGHT_ONLY("weight-only"), FP16("fp16"), NONE("none");

    private final String spelling;

    QuantizeMode(String spelling) {
        this.spelling = spelling;
    }

    public static QuantizeMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (QuantizeMode m : values()) {
            if (m.spelling.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown quantization mode '" + text
                + "' (accepted: dynamic, static, weight-only, fp16)");
    }

    /**
     * The mode the conversion config's {@code precision} names: 8bit is dynamic int8 (the calibration-free int8),
     * 16bit float16, 32bit no quantization at all (the model is validated and written as it is).
     */
    public static QuantizeMode forPrecision(String precision) {
        return switch (precision.trim().toLowerCase(Locale.ROOT)) {
            case "8bit" -> DYNAMIC;
            case "16bit" -> FP16;
            case "32bit" -> NONE;
            default -> throw new IllegalArgumentException("unknown precision '" + precision
                    + "' (accepted: 8bit, 16bit, 32bit)");
        };
    }

    @Override
    public String toString() {
        return spelling;
    }
}
