package io.mconv.passes.quantize;

import java.util.Locale;

/**
 * How quantized operators are spelled. QOPERATOR: integer operators (MatMulInteger) that compute on the codes
 * themselves. QDQ: the float operator stays, its inputs pass through DequantizeLinear; a runtime that knows the
 * pattern (ONNX Runtime) fuses it into an integer kernel, and one that does not still computes the right result.
 */
public enum QuantFormat {
    QDQ, QOPERATOR;

    public static QuantFormat parse(String text) {
        for (QuantFormat f : values()) {
            if (f.name().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown quantization format '" + text + "' (accepted: qdq, qoperator)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
