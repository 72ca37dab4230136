package io.mconv.ir;

import java.util.Optional;

/**
 * The ONNX element types. The codes are the wire values of {@code TensorProto.DataType}; {@link #bits()} is the
 * storage width of one element in raw little-endian form (4 for the packed 4-bit types, 0 for strings, whose
 * elements have no fixed width).
 */
public enum DataType {
    FLOAT(1, 32, "float32"),
    UINT8(2, 8, "uint8"),
    INT8(3, 8, "int8"),
    UINT16(4, 16, "uint16"),
    INT16(5, 16, "int16"),
    INT32(6, 32, "int32"),
    INT64(7, 64, "int64"),
    STRING(8, 0, "string"),
    BOOL(9, 8, "bool"),
    FLOAT16(10, 16, "float16"),
    DOUBLE(11, 64, "float64"),
    UINT32(12, 32, "uint32"),
    UINT64(13, 64, "uint64"),
    COMPLEX64(14, 64, "complex64"),
    COMPLEX128(15, 128, "complex128"),
    BFLOAT16(16, 16, "bfloat16"),
    FLOAT8E4M3FN(17, 8, "float8e4m3fn"),
    FLOAT8E4M3FNUZ(18, 8, "float8e4m3fnuz"),
    FLOAT8E5M2(19, 8, "float8e5m2"),
    FLOAT8E5M2FNUZ(20, 8, "float8e5m2fnuz"),
    UINT4(21, 4, "uint4"),
    INT4(22, 4, "int4"),
    FLOAT4E2M1(23, 4, "float4e2m1");

    private static final DataType[] BY_CODE = new DataType[24];

    static {
        for (DataType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int bits;
    private final String displayName;

    DataType(int code, int bits, String displayName) {
        this.code = code;
        this.bits = bits;
        this.displayName = displayName;
    }

    /** The wire value of {@code TensorProto.DataType}. */
    public int code() {
        return code;
    }

    /** Storage bits per element in raw form; 0 for {@link #STRING}. */
    public int bits() {
        return bits;
    }

    /** The lower-case name users type and see: {@code float32}, {@code int64}, {@code float16}. */
    public String displayName() {
        return displayName;
    }

    public boolean isFloatingPoint() {
        return switch (this) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ,
                    FLOAT4E2M1 -> true;
            default -> false;
        };
    }

    /**
     * Bytes needed to store {@code elements} elements in raw form, rounding packed 4-bit types up to whole bytes.
     *
     * @throws ArithmeticException when the size overflows a long
     * @throws IllegalArgumentException for {@link #STRING}, which has no raw form
     */
    public long byteSize(long elements) {
        if (bits == 0) {
            throw new IllegalArgumentException("string tensors have no fixed-width raw form");
        }
        if (elements < 0) {
            throw new IllegalArgumentException("negative element count " + elements);
        }
        if (bits == 4) {
            return elements / 2 + (elements % 2);
        }
        return Math.multiplyExact(elements, (long) (bits / 8));
    }

    /** The type with this wire code, or empty for UNDEFINED (0) and codes this version does not know. */
    public static Optional<DataType> fromCode(int code) {
        if (code <= 0 || code >= BY_CODE.length) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_CODE[code]);
    }

    /** Parses a user-facing name ({@code float32}, {@code float}, {@code fp16}, {@code int64}, ...). */
    public static Optional<DataType> fromName(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        switch (n) {
            case "float", "fp32", "f32" -> { return Optional.of(FLOAT); }
            case "double", "fp64", "f64" -> { return Optional.of(DOUBLE); }
            case "half", "fp16", "f16" -> { return Optional.of(FLOAT16); }
            case "bf16" -> { return Optional.of(BFLOAT16); }
            default -> { }
        }
        for (DataType t : values()) {
            if (t.displayName.equals(n) || t.name().equalsIgnoreCase(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
