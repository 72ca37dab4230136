package io.mconv.torch.archive;

import io.mconv.ir.DataType;

import java.util.Arrays;
import java.util.Optional;

/**
 * torch's scalar types with the codes TorchScript code uses for {@code dtype=} arguments (c10::ScalarType), the
 * storage class names pickles use ({@code torch.FloatStorage}), and the ONNX type each maps to (null where ONNX
 * has none).
 */
public enum TorchDType {
    UINT8(0, "ByteStorage", DataType.UINT8, 1),
    INT8(1, "CharStorage", DataType.INT8, 1),
    INT16(2, "ShortStorage", DataType.INT16, 2),
    INT32(3, "IntStorage", DataType.INT32, 4),
    INT64(4, "LongStorage", DataType.INT64, 8),
    FLOAT16(5, "HalfStorage", DataType.FLOAT16, 2),
    FLOAT32(6, "FloatStorage", DataType.FLOAT, 4),
    FLOAT64(7, "DoubleStorage", DataType.DOUBLE, 8),
    COMPLEX32(8, "ComplexHalfStorage", null, 4),
    COMPLEX64(9, "ComplexFloatStorage", DataType.COMPLEX64, 8),
    COMPLEX128(10, "ComplexDoubleStorage", DataType.COMPLEX128, 16),
    BOOL(11, "BoolStorage", DataType.BOOL, 1),
    QINT8(12, "QInt8Storage", null, 1),
    QUINT8(13, "QUInt8Storage", null, 1),
    QINT32(14, "QInt32Storage", null, 4),
    BFLOAT16(15, "BFloat16Storage", DataType.BFLOAT16, 2);

    private final int code;
    private final String storageClass;
    private final DataType onnxType;
    private final int elementSize;

    TorchDType(int code, String storageClass, DataType onnxType, int elementSize) {
        this.code = code;
        this.storageClass = storageClass;
        this.onnxType = onnxType;
        this.elementSize = elementSize;
    }

    /** c10::ScalarType code, as in {@code torch.zeros([2], dtype=6)}. */
    public int code() {
        return code;
    }

    /** The legacy typed storage class name without the module, e.g. {@code FloatStorage}. */
    public String storageClass() {
        return storageClass;
    }

    /** The ONNX element type, empty for types ONNX cannot hold (quantized, complex32). */
    public Optional<DataType> onnxType() {
        return Optional.ofNullable(onnxType);
    }

    public int elementSize() {
        return elementSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT16 || this == FLOAT32 || this == FLOAT64 || this == BFLOAT16;
    }

    public static Optional<TorchDType> fromCode(long code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }

    public static Optional<TorchDType> fromStorageClass(String name) {
        return Arrays.stream(values()).filter(t -> t.storageClass.equals(name)).findFirst();
    }

    public static Optional<TorchDType> fromOnnx(DataType type) {
        return Arrays.stream(values()).filter(t -> t.onnxType == type).findFirst();
    }
}
