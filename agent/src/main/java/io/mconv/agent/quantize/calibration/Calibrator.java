package io.mconv.agent.quantize.calibration;

import io.mconv.passes.quantize.calibrated.TensorRange;

/**
 * Turns what calibration observed of one tensor into the range its quantization should cover. MinMax needs only
 * the extremes; histogram calibrators ask for a histogram over the observed range, filled in a second pass.
 */
public interface Calibrator {

    /** {@code minmax}, {@code percentile}, {@code entropy}. */
    String name();

    /** The histogram to fill for a tensor whose values lie in [min, max], or null when min/max suffice. */
    Histogram newHistogram(float min, float max);

    /** The range to quantize; {@code histogram} is the one {@link #newHistogram} made, filled, or null. */
    TensorRange range(float min, float max, Histogram histogram);
}
