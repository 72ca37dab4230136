package io.mconv.agent.quantize;

import io.mconv.agent.quantize.advisor.CpuFeatures;
import io.mconv.ir.DataType;
import java.util.Optional;

/**
 * What to say when dynamic int8 misses its accuracy bar on an x86 CPU without VNNI. There ONNX Runtime multiplies
 * uint8 activations by int8 weights with AVX2's pairwise multiply-add, whose int16 sums saturate when both factors
 * are large; full-range int8 weights then lose accuracy that 7-bit weights (reduce-range) or uint8 weights keep.
 * Measured on a 12-layer torch.onnx encoder here: cosine 0.934 full range, 0.99988 with reduce-range, 0.99976 with
 * uint8 weights. A CPU with VNNI (or an ARM one) has no such saturation, and the failure is then something else.
 */
final class SaturationAdvice {

    private SaturationAdvice() {
    }

    /** The sentence to add to the failure, or empty when the saturation cannot be the cause. */
    static Optional<String> forDynamic(QuantizeOptions options, CpuFeatures cpu) {
        DataType weights = options.weightType() == null ? DataType.INT8 : options.weightType();
        boolean x86 = cpu.arch().contains("amd64") || cpu.arch().contains("x86");
        if (options.mode() != QuantizeMode.DYNAMIC || weights != DataType.INT8 || options.reduceRange()
                || !cpu.known() || !x86 || cpu.fastInt8()) {
            return Optional.empty();
        }
        return Optional.of("on this CPU (" + cpu.int8Kernel() + ") ONNX Runtime's uint8 x int8 products can "
                + "saturate: 7-bit weights usually recover the accuracy (mconv quantize --reduce-range, or "
                + "--weight-type uint8; mconv convert --quantize auto tries them)");
    }
}
