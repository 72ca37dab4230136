package io.mconv.passes.quantize.calibrated;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Quantizes constant tensors: weights to 8 bits per tensor or per channel from their own min/max, and biases to
 * int32 with scale {@code input_scale * weight_scale} and zero point 0. That bias scale is the one an integer
 * convolution's int32 accumulator has, so the quantized bias is added to the accumulator directly (QLinearConv's
 * {@code B}); ONNX Runtime's QDQ fusion requires exactly this scale to form QLinearConv.
 */
public final class WeightQuantizer {

    private final QuantType type;
    private final boolean symmetric;
    private final boolean reduceRange;

    public WeightQuantizer(QuantType type, boolean symmetric, boolean reduceRange) {
        this.type = type;
        this.symmetric = symmetric;
        this.reduceRange = reduceRange;
    }

    /**
     * @param axis the channel axis for per-channel quantization, or -1 for one scale for the whole tensor
     */
    public QuantizedTensor quantize(Tensor weight, int axis, String baseName) {
        if (weight.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("weight '" + weight.name() + "' is " + weight.dataType()
                    + ", only float32 weights are quantized");
        }
        float[] w = weight.toFloatArray();
        long[] dims = weight.dims();
        if (axis >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for weight of rank " + dims.length);
        }
        int channels = axis < 0 ? 1 : Math.toIntExact(dims[axis]);
        int inner = 1;
        for (int d = axis + 1; d < dims.length && axis >= 0; d++) {
            inner = Math.multiplyExact(inner, Math.toIntExact(dims[d]));
        }
        QuantParams[] params = new QuantParams[channels];
        float[] lo = new float[channels];
        float[] hi = new float[channels];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < w.length; i++) {
            int c = axis < 0 ? 0 : (i / inner) % channels;
            lo[c] = Math.min(lo[c], w[i]);
            hi[c] = Math.max(hi[c], w[i]);
        }
        for (int c = 0; c < channels; c++) {
            TensorRange r = w.length == 0 ? new TensorRange(0, 0) : new TensorRange(lo[c], hi[c]);
            params[c] = QuantParams.forRange(r, type, symmetric, reduceRange);
        }
        ByteBuffer data = ByteBuffer.allocate(w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < w.length; i++) {
            int c = axis < 0 ? 0 : (i / inner) % channels;
            data.put(type.toByte(params[c].quantize(w[i])));
        }
        data.flip();
        Tensor q = Tensor.ofRaw(baseName + "_quantized", type.dataType(), dims, data);
        return new QuantizedTensor(q, scaleTensor(baseName + "_scale", params, axis),
                zeroPointTensor(baseName + "_zero_point", params, axis), axis);
    }

    /**
     * Quantizes a float bias to int32 with per-channel scales {@code inputScale * weightScales[c]} (one weight
     * scale broadcasts to all channels). The scale is computed in float32, as the runtime does, so the fused
     * kernel's requantization matches.
     */
    public static QuantizedTensor quantizeBias(Tensor bias, float inputScale, float[] weightScales, String baseName) {
        float[] b = bias.toFloatArray();
        boolean perChannel = weightScales.length > 1;
        if (perChannel && weightScales.length != b.length) {
            throw new IllegalArgumentException("bias '" + bias.name() + "' has " + b.length + " elements but the "
                    + "weight has " + weightScales.length + " channel scales");
        }
        float[] scales = new float[perChannel ? b.length : 1];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = inputScale * weightScales[c];
        }
        int[] q = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            float s = scales[perChannel ? i : 0];
            double v = Math.rint(b[i] / (double) s);
            q[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        long[] scaleDims = perChannel ? new long[] {scales.length} : new long[0];
        Tensor scale = Tensor.ofFloats(baseName + "_scale", scaleDims, scales);
        Tensor zp = Tensor.ofInts(baseName + "_zero_point", scaleDims, new int[scales.length]);
        return new QuantizedTensor(Tensor.ofInts(baseName + "_quantized", bias.dims(), q), scale, zp,
                perChannel ? 0 : -1);
    }

    private static Tensor scaleTensor(String name, QuantParams[] params, int axis) {
        float[] s = new float[params.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = params[c].scale();
        }
        return Tensor.ofFloats(name, axis < 0 ? new long[0] : new long[] {s.length}, s);
    }

    private Tensor zeroPointTensor(String name, QuantParams[] params, int axis) {
        ByteBuffer b = ByteBuffer.allocate(params.length);
        for (QuantParams p : params) {
            b.put(type.toByte(p.zeroPoint()));
        }
        b.flip();
        return Tensor.ofRaw(name, type.dataType(), axis < 0 ? new long[0] : new long[] {params.length}, b);
    }
}
