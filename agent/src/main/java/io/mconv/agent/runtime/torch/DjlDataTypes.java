package io.mconv.agent.runtime.torch;

import io.mconv.ir.DataType;

/**
 * IR (ONNX) element types to DJL's and back, for the types that libtorch has as tensor dtypes. Used only inside the
 * worker process, which is the only place DJL classes are loaded.
 */
final class DjlDataTypes {

    private DjlDataTypes() {
    }

    /** @throws IllegalArgumentException for a type libtorch has no tensor dtype for (strings, float8, int4, ...) */
    static ai.djl.ndarray.types.DataType toDjl(DataType type) {
        return switch (type) {
            case FLOAT -> ai.djl.ndarray.types.DataType.FLOAT32;
            case DOUBLE -> ai.djl.ndarray.types.DataType.FLOAT64;
            case FLOAT16 -> ai.djl.ndarray.types.DataType.FLOAT16;
            case BFLOAT16 -> ai.djl.ndarray.types.DataType.BFLOAT16;
            case INT8 -> ai.djl.ndarray.types.DataType.INT8;
            case UINT8 -> ai.djl.ndarray.types.DataType.UINT8;
            case INT16 -> ai.djl.ndarray.types.DataType.INT16;
            case INT32 -> ai.djl.ndarray.types.DataType.INT32;
            case INT64 -> ai.djl.ndarray.types.DataType.INT64;
            case BOOL -> ai.djl.ndarray.types.DataType.BOOLEAN;
            default -> throw new IllegalArgumentException("libtorch (through DJL) takes no " + type + " tensors");
        };
    }

    /** @throws IllegalArgumentException for a DJL type the IR has no counterpart for */
    static DataType fromDjl(ai.djl.ndarray.types.DataType type) {
        return switch (type) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT64 -> DataType.DOUBLE;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOLEAN -> DataType.BOOL;
            case UINT16 -> DataType.UINT16;
            case UINT32 -> DataType.UINT32;
            case UINT64 -> DataType.UINT64;
            default -> throw new IllegalArgumentException("libtorch returned a " + type + " tensor, which mconv "
                    + "cannot compare");
        };
    }
}
