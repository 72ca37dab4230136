package io.mconv.passes.quantize;

import io.mconv.ir.DataType;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * float32 constants as float16. Finite values beyond float16's range (±65504) are clamped to it instead of becoming
 * infinities (masks filled with float32's lowest value stay very negative, not -inf times zero = NaN); infinities and
 * NaN stay what they are; values below float16's smallest subnormal (~6e-8) round to zero.
 */
final class Float16Tensors {

    static final float MAX = 65504f;

    private Float16Tensors() {
    }

    static Tensor convert(Tensor t) {
        float[] v = t.toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putShort(HalfPrecision.floatToFloat16(clamp(x)));
        }
        b.flip();
        return Tensor.ofRaw(t.name(), DataType.FLOAT16, t.dims(), b);
    }

    static float clamp(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) {
            return x;
        }
        return Math.max(-MAX, Math.min(MAX, x));
    }
}
