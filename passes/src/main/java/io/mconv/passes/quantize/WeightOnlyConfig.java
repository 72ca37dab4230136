package io.mconv.passes.quantize;

/**
 * What weight-only block quantization is asked to do.
 *
 * @param bits       4 or 8
 * @param blockSize  rows of K per scale; a power of two, at least 16 (MatMulNBits' rule, kept for both forms)
 * @param symmetric  codes centred on zero, no zero points stored
 * @param contribOp  emit {@code com.microsoft::MatMulNBits} (ONNX Runtime) instead of a blocked DequantizeLinear
 *                   (standard ONNX, opset 21)
 */
public record WeightOnlyConfig(int bits, int blockSize, boolean symmetric, boolean contribOp,
                               NodeExclusions exclusions) {

    public WeightOnlyConfig {
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("weight-only quantization uses 4 or 8 bits, not " + bits);
        }
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two of at least 16, not " + blockSize);
        }
    }

    public static WeightOnlyConfig defaults() {
        return new WeightOnlyConfig(4, 32, false, true, NodeExclusions.none());
    }
}
