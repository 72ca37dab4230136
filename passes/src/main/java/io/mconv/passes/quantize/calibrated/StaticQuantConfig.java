package io.mconv.passes.quantize.calibrated;

import java.util.Objects;
import java.util.Set;

/**
 * How static quantization quantizes.
 *
 * @param activationType       uint8 (U8S8, the x86 default) or int8 (S8S8)
 * @param weightType           int8 normally; uint8 allowed (asymmetric weights)
 * @param perChannel           one scale per output channel of Conv/Gemm/MatMul weights
 * @param symmetricActivations activations centred on 0 (zero point 0 or 128) instead of fitted to their range
 * @param symmetricWeights     weights in [-127, 127] with zero point 0 (the int8 GEMM kernels' fast path)
 * @param reduceRange          7-bit weights, for CPUs without VNNI (applies to weights, as ONNX Runtime does)
 * @param exclude              node names or op types left in float
 */
public record StaticQuantConfig(QuantType activationType, QuantType weightType, boolean perChannel,
                                boolean symmetricActivations, boolean symmetricWeights, boolean reduceRange,
                                Set<String> exclude) {

    public StaticQuantConfig {
        Objects.requireNonNull(activationType, "activationType");
        Objects.requireNonNull(weightType, "weightType");
        exclude = Set.copyOf(exclude);
    }

    /** U8S8, per-channel, asymmetric activations, symmetric weights, full range, nothing excluded. */
    public static StaticQuantConfig defaults() {
        return new StaticQuantConfig(QuantType.UINT8, QuantType.INT8, true, false, true, false, Set.of());
    }

    public StaticQuantConfig withPerChannel(boolean v) {
        return new StaticQuantConfig(activationType, weightType, v, symmetricActivations, symmetricWeights,
                reduceRange, exclude);
    }

    public StaticQuantConfig withTypes(QuantType activations, QuantType weights) {
        return new StaticQuantConfig(activations, weights, perChannel, symmetricActivations, symmetricWeights,
                reduceRange, exclude);
    }

    public StaticQuantConfig withSymmetricActivations(boolean v) {
        return new StaticQuantConfig(activationType, weightType, perChannel, v, symmetricWeights, reduceRange,
                exclude);
    }

    public StaticQuantConfig withReduceRange(boolean v) {
        return new StaticQuantConfig(activationType, weightType, perChannel, symmetricActivations, symmetricWeights,
                v, exclude);
    }

    public StaticQuantConfig withExclude(Set<String> v) {
        return new StaticQuantConfig(activationType, weightType, perChannel, symmetricActivations, symmetricWeights,
                reduceRange, v);
    }

    /** Whether a node is excluded by its name or its op type. */
    public boolean excludes(io.mconv.ir.Node node) {
        return exclude.contains(node.opType()) || (node.name() != null && exclude.contains(node.name()));
    }
}
