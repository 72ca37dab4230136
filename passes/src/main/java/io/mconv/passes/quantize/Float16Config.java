package io.mconv.passes.quantize;

import java.util.Set;

/**
 * What the float16 conversion is asked to do.
 *
 * @param keepIoTypes graph inputs and outputs stay float32, with Casts at the boundary
 * @param blockedOps  operator types that keep computing in float32 (see {@link #DEFAULT_BLOCKED})
 */
public record Float16Config(boolean keepIoTypes, Set<String> blockedOps, NodeExclusions exclusions) {

    /**
     * Operators kept in float32 by default because float16 (largest finite value 65504, 11 significant bits) breaks
     * them in ordinary models:
     * <ul>
     *   <li>Range, CumSum: index arithmetic and running sums lose integers above 2048 and overflow;</li>
     *   <li>ReduceSum, ReduceSumSquare, ReduceProd, ReduceLogSumExp, ReduceL2: sums over large axes overflow;</li>
     *   <li>Exp, Pow: exp(x) overflows for x above ~11, a square for |x| above 256 (decomposed LayerNorm variance);</li>
     *   <li>RandomNormal/Uniform(Like), Multinomial: their dtype attribute and sampling stay as exported;</li>
     *   <li>QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear: scales must keep their precision and float16
     *       scales need opset 19.</li>
     * </ul>
     * Softmax, LayerNormalization and the matrix products stay in the converted region: ONNX Runtime accumulates
     * them in float32 internally.
     */
    public static final Set<String> DEFAULT_BLOCKED = Set.of("Range", "CumSum", "ReduceSum", "ReduceSumSquare",
            "ReduceProd", "ReduceLogSumExp", "ReduceL2", "Exp", "Pow", "RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike", "Multinomial", "QuantizeLinear", "DequantizeLinear",
            "DynamicQuantizeLinear");

    public Float16Config {
        blockedOps = Set.copyOf(blockedOps);
    }

    public static Float16Config defaults() {
        return new Float16Config(true, DEFAULT_BLOCKED, NodeExclusions.none());
    }
}
