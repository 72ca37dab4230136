package io.mconv.passes.quantize.calibrated;

import io.mconv.ir.DataType;

/**
 * The 8-bit integer types static quantization produces, with their integer ranges. Symmetric int8 uses
 * [-127, 127] rather than [-128, 127] so that zero maps to zero point 0 exactly and +x and -x quantize to opposite
 * values (what ONNX Runtime's quantizer does for symmetric weights). Reduce-range drops one bit (7-bit values) so
 * that on CPUs without VNNI the u8*s8 pair sums of the int8 GEMM kernels (vpmaddubsw) cannot saturate int16.
 */
public enum QuantType {
    UINT8(DataType.UINT8, 0, 255),
    INT8(DataType.INT8, -128, 127);

    private final DataType dataType;
    private final int min;
    private final int max;

    QuantType(DataType dataType, int min, int max) {
        this.dataType = dataType;
        this.min = min;
        this.max = max;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The lowest quantized value used. */
    public int qmin(boolean symmetric, boolean reduceRange) {
        if (this == INT8) {
            return reduceRange ? -64 : symmetric ? -127 : min;
        }
        return min;
    }

    /** The highest quantized value used. */
    public int qmax(boolean symmetric, boolean reduceRange) {
        if (this == INT8) {
            return reduceRange ? 64 : max;
        }
        return reduceRange ? 127 : max;
    }

    /** Clamps and stores one quantized value as the byte ONNX expects (two's complement for int8, unsigned for uint8). */
    public byte toByte(int q) {
        return (byte) Math.max(min, Math.min(max, q));
    }

    public static QuantType parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "uint8", "u8", "quint8" -> UINT8;
            case "int8", "s8", "qint8" -> INT8;
            default -> throw new IllegalArgumentException("unknown 8-bit type '" + s + "' (uint8 or int8)");
        };
    }
}
