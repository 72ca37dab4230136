package io.mconv.agent.quantize.calibration;

import io.mconv.passes.quantize.calibrated.TensorRange;

/** The observed minimum and maximum: nothing is clipped, so one outlier widens the step for every value. */
public final class MinMaxCalibrator implements Calibrator {

    @Override
    public String name() {
        return "minmax";
    }

    @Override
    public Histogram newHistogram(float min, float max) {
        return null;
    }

    @Override
    public TensorRange range(float min, float max, Histogram histogram) {
        return new TensorRange(min, max);
    }
}
