package io.mconv.passes.quantize;

import io.mconv.ir.DataType;

/**
 * What dynamic int8 quantization is asked to do.
 *
 * @param weightType  INT8 (U8S8 with the uint8 activations DynamicQuantizeLinear makes) or UINT8 (U8U8)
 * @param symmetric   weights centred on zero (zero point 0 for int8, 128 for uint8) instead of min..max
 * @param perChannel  one scale per output column of the weight instead of one per tensor
 * @param reduceRange 7-bit weights (see {@link QuantRange})
 */
public record DynamicQuantConfig(QuantFormat format, DataType weightType, boolean symmetric, boolean perChannel,
                                 boolean reduceRange, NodeExclusions exclusions) {

    public DynamicQuantConfig {
        if (weightType != DataType.INT8 && weightType != DataType.UINT8) {
            throw new IllegalArgumentException("dynamic quantization stores weights as int8 or uint8, not "
                    + weightType);
        }
    }

    public static DynamicQuantConfig defaults() {
        return new DynamicQuantConfig(QuantFormat.QOPERATOR, DataType.INT8, true, false, false, NodeExclusions.none());
    }

    public DynamicQuantConfig withFormat(QuantFormat f) {
        return new DynamicQuantConfig(f, weightType, symmetric, perChannel, reduceRange, exclusions);
    }

    public DynamicQuantConfig withPerChannel(boolean p) {
        return new DynamicQuantConfig(format, weightType, symmetric, p, reduceRange, exclusions);
    }

    public DynamicQuantConfig withWeightType(DataType t, boolean sym) {
        return new DynamicQuantConfig(format, t, sym, perChannel, reduceRange, exclusions);
    }

    public DynamicQuantConfig withExclusions(NodeExclusions e) {
        return new DynamicQuantConfig(format, weightType, symmetric, perChannel, reduceRange, e);
    }

    public DynamicQuantConfig withReduceRange(boolean r) {
        return new DynamicQuantConfig(format, weightType, symmetric, perChannel, r, exclusions);
    }
}
