package io.mconv.torch.symbolics;

import io.mconv.ir.DataType;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Tensor;
import io.mconv.torch.export.SymbolicException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one-element tensor ConstantOfShape's {@code value} attribute wants, in any numeric element type: the
 * attribute decides the output's element type, so filling with the target type avoids a Cast after the fill.
 */
final class FillValue {

    private FillValue() {
    }

    static Tensor of(double value, DataType type) {
        long[] dims = {1};
        return switch (type) {
            case FLOAT -> Tensor.ofFloats("value", dims, (float) value);
            case DOUBLE -> Tensor.ofDoubles("value", dims, value);
            case INT64 -> Tensor.ofLongs("value", dims, (long) value);
            case INT32 -> Tensor.ofInts("value", dims, (int) value);
            default -> Tensor.ofRaw("value", type, dims, bytes(value, type));
        };
    }

    private static ByteBuffer bytes(double value, DataType type) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(1, type.bits() / 8)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT16 -> b.putShort(HalfPrecision.floatToFloat16((float) value));
            case BFLOAT16 -> b.putShort(HalfPrecision.floatToBfloat16((float) value));
            case INT16, UINT16 -> b.putShort((short) value);
            case INT8, UINT8 -> b.put((byte) value);
            case UINT32 -> b.putInt((int) value);
            case BOOL -> b.put((byte) (value != 0 ? 1 : 0));
            default -> throw new SymbolicException("cannot fill a tensor of type " + type);
        }
        b.flip();
        return b;
    }
}
