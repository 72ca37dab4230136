package io.mconv.passes.quantize.calibrated;

/** The real-valued range [min, max] a tensor is expected to take, as calibration measured it. */
public record TensorRange(float min, float max) {

    public TensorRange {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
        }
    }

    /** The smallest range holding both. */
    public TensorRange union(TensorRange other) {
        return new TensorRange(Math.min(min, other.min), Math.max(max, other.max));
    }
}
