package io.mconv.agent.pipeline;

import java.util.Locale;

/**
 * {@code mconv convert --quantize}: the user's spelling of a quantization, mapped onto the quantizers' modes.
 * {@code auto} picks among measured plans with the quantization advisor.
 */
public enum QuantizeChoice {
    NONE("none"), INT8("int8"), INT8_STATIC("int8-static"), INT4("int4"), FP16("fp16"), AUTO("auto");

    private final String spelling;

    QuantizeChoice(String spelling) {
        this.spelling = spelling;
    }

    /** @throws IllegalArgumentException naming the value and the accepted ones */
    public static QuantizeChoice parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (QuantizeChoice c : values()) {
            if (c.spelling.equals(t)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown --quantize '" + text
                + "' (accepted: none, int8, int8-static, int4, fp16, auto)");
    }

    @Override
    public String toString() {
        return spelling;
    }
}
