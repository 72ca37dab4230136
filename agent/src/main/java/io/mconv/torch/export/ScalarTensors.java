package io.mconv.torch.export;

import io.mconv.ir.DataType;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** 0-d constant tensors of any numeric ONNX type, for the scalars TorchScript code passes to operators. */
final class ScalarTensors {

    private ScalarTensors() {
    }

    static Tensor of(String name, double value, DataType type) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(1, type.bits() / 8)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> b.putFloat((float) value);
            case DOUBLE -> b.putDouble(value);
            case FLOAT16 -> b.putShort(HalfPrecision.floatToFloat16((float) value));
            case BFLOAT16 -> b.putShort(HalfPrecision.floatToBfloat16((float) value));
            case INT64 -> b.putLong((long) value);
            case INT32, UINT32 -> b.putInt((int) value);
            case INT16, UINT16 -> b.putShort((short) value);
            case INT8, UINT8 -> b.put((byte) value);
            case BOOL -> b.put((byte) (value != 0 ? 1 : 0));
            default -> throw new SymbolicException("cannot make a scalar of type " + type);
        }
        b.flip();
        return Tensor.ofRaw(name, type, new long[0], b);
    }
}
