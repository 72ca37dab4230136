package io.mconv.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void elementCountRefusesNegativeDimsAndOverflow() {
        assertEquals(24, Tensor.elementCount(new long[] {2, 3, 4}));
        assertEquals(1, Tensor.elementCount(new long[0]));
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> Tensor.elementCount(new long[] {2, -3}));
        assertTrue(neg.getMessage().contains("negative dimension -3"), neg.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> Tensor.elementCount(new long[] {1L << 40, 1L << 40}));
        assertTrue(big.getMessage().contains("overflows"), big.getMessage());
    }

    @Test
    void rawLengthMustMatchDims() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ofRaw("w", DataType.FLOAT, new long[] {2, 2}, ByteBuffer.allocate(12)));
        assertTrue(e.getMessage().contains("has 12 data bytes but [2, 2] float32 needs 16"), e.getMessage());
    }

    @Test
    void bytesAreViewedNotCopied() {
        ByteBuffer direct = ByteBuffer.allocateDirect(8);
        Tensor t = Tensor.ofRaw("w", DataType.INT32, new long[] {2}, direct);
        assertTrue(t.rawBytes().isDirect());
        assertTrue(t.rawBytes().isReadOnly());
    }

    @Test
    void float16AndBfloat16Convert() {
        assertEquals(1.0f, HalfPrecision.float16ToFloat((short) 0x3c00));
        assertEquals(-2.0f, HalfPrecision.float16ToFloat((short) 0xc000));
        assertEquals(65504f, HalfPrecision.float16ToFloat((short) 0x7bff));
        assertEquals((short) 0x3c00, HalfPrecision.floatToFloat16(1.0f));
        assertEquals((short) 0x7c00, HalfPrecision.floatToFloat16(1e6f));
        assertEquals(5.9604645e-8f, HalfPrecision.float16ToFloat((short) 1));
        assertEquals((short) 1, HalfPrecision.floatToFloat16(5.9604645e-8f));
        for (int bits = 0; bits < 0x7c00; bits++) {
            float f = HalfPrecision.float16ToFloat((short) bits);
            assertEquals((short) bits, HalfPrecision.floatToFloat16(f), "round trip of 0x" + Integer.toHexString(bits));
        }
        assertEquals(1.0f, HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBfloat16(1.0f)));
        assertEquals((short) 0x3f80, HalfPrecision.floatToBfloat16(1.0f));
    }

    @Test
    void typedConversions() {
        Tensor f16 = Tensor.ofRaw("h", DataType.FLOAT16, new long[] {2},
                ByteBuffer.wrap(new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0}));
        assertArrayEquals(new float[] {1f, -2f}, f16.toFloatArray());
        Tensor int4 = Tensor.ofRaw("q", DataType.INT4, new long[] {3}, ByteBuffer.wrap(new byte[] {(byte) 0xF7, 0x01}));
        assertArrayEquals(new long[] {7, -1, 1}, int4.toLongArray());
        Tensor u8 = Tensor.ofRaw("u", DataType.UINT8, new long[] {2}, ByteBuffer.wrap(new byte[] {(byte) 255, 1}));
        assertArrayEquals(new long[] {255, 1}, u8.toLongArray());
        assertThrows(IllegalStateException.class, () -> u8.toFloatArray());
        assertEquals(2, DataType.INT4.byteSize(3));
    }
}
