package io.mconv.agent.quantize.calibration;

import io.mconv.passes.quantize.calibrated.TensorRange;

/**
 * Clips the rarest values: the range ends at the given percentile of the observed values (99.999 keeps all but
 * 1 in 100,000). Symmetric: the percentile of |x|, range [-t, t] ([0, t] for a tensor that is never negative).
 * Asymmetric: the (100 - p)th and pth percentiles of x. The histogram has 2048 bins, as ONNX Runtime's
 * histogram calibrators use, so the range is exact to 1/2048 of the observed span.
 */
public final class PercentileCalibrator implements Calibrator {

    static final int BINS = 2048;

    private final double percentile;
    private final boolean symmetric;

    public PercentileCalibrator(double percentile, boolean symmetric) {
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100]: " + percentile);
        }
        this.percentile = percentile;
        this.symmetric = symmetric;
    }

    @Override
    public String name() {
        return "percentile";
    }

    public double percentile() {
        return percentile;
    }

    @Override
    public Histogram newHistogram(float min, float max) {
        return symmetric ? new Histogram(0, Math.max(Math.abs(min), Math.abs(max)), BINS, true)
                : new Histogram(min, max, BINS, false);
    }

    @Override
    public TensorRange range(float min, float max, Histogram h) {
        double p = percentile / 100;
        if (symmetric) {
            float t = (float) Math.min(h.quantile(p), Math.max(Math.abs(min), Math.abs(max)));
            return new TensorRange(min >= 0 ? 0 : -t, t);
        }
        float lo = (float) Math.max(min, h.lowerQuantile(1 - p));
        float hi = (float) Math.min(max, h.quantile(p));
        return new TensorRange(Math.min(lo, hi), hi);
    }
}
