package io.mconv.passes.quantize;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Integer codes as IR tensors: one byte each for int8/uint8, two per byte (low nibble first) for int4/uint4. */
final class IntegerTensors {

    private IntegerTensors() {
    }

    static Tensor of(String name, DataType type, long[] dims, int[] codes) {
        ByteBuffer bytes = ByteBuffer.allocate((int) type.byteSize(codes.length)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case INT8, UINT8 -> {
                for (int c : codes) {
                    bytes.put((byte) c);
                }
            }
            case INT4, UINT4 -> {
                for (int i = 0; i < codes.length; i += 2) {
                    int low = codes[i] & 0xf;
                    int high = i + 1 < codes.length ? codes[i + 1] & 0xf : 0;
                    bytes.put((byte) (low | (high << 4)));
                }
            }
            default -> throw new IllegalArgumentException("not an integer code type: " + type);
        }
        bytes.flip();
        return Tensor.ofRaw(name, type, dims, bytes);
    }

    /** Raw uint8 bytes (MatMulNBits' packed B and zero points). */
    static Tensor ofBytes(String name, long[] dims, byte[] data) {
        return Tensor.ofRaw(name, DataType.UINT8, dims, ByteBuffer.wrap(data));
    }
}
