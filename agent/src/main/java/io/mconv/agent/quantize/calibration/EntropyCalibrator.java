package io.mconv.agent.quantize.calibration;

import io.mconv.passes.quantize.calibrated.TensorRange;

/**
 * The threshold that loses least information, as TensorRT's entropy calibration defines it: over a 2048-bin
 * histogram of |x|, for each candidate threshold bin i from 128 to 2048, the reference distribution P is the first
 * i bins with everything beyond folded into bin i-1, the candidate Q is those i bins merged into 128 levels and
 * spread back evenly over the bins that held values; the threshold minimizes KL(P || Q). Its value is the middle
 * of bin i ((i + 0.5) * width). The range is [-t, t], cut to the observed [min, max] (so a tensor that is never
 * negative gets [0, t] and uint8 keeps its full resolution).
 */
public final class EntropyCalibrator implements Calibrator {

    static final int BINS = 2048;
    static final int LEVELS = 128;
    /** Added to empty bins before the divergence, so that log(p/q) stays finite. */
    private static final double SMOOTHING = 1e-4;

    @Override
    public String name() {
        return "entropy";
    }

    @Override
    public Histogram newHistogram(float min, float max) {
        return new Histogram(0, Math.max(Math.abs(min), Math.abs(max)), BINS, true);
    }

    @Override
    public TensorRange range(float min, float max, Histogram h) {
        double t = threshold(h);
        return new TensorRange((float) Math.max(min, -t), (float) Math.min(max, t));
    }

    /** The KL-optimal threshold of a histogram of |x| (its {@code hi} when it has at most 128 bins or no counts). */
    public static double threshold(Histogram h) {
        int n = h.bins();
        if (n <= LEVELS || h.total() == 0) {
            return h.hi();
        }
        long[] counts = h.counts();
        double best = Double.POSITIVE_INFINITY;
        int bestI = n;
        long outliers = 0;
        for (int k = LEVELS; k < n; k++) {
            outliers += counts[k];
        }
        for (int i = LEVELS; i <= n; i++) {
            if (i > LEVELS) {
                outliers -= counts[i - 1];
            }
            double kl = divergence(counts, i, outliers);
            if (kl < best) {
                best = kl;
                bestI = i;
            }
        }
        return Math.min(h.hi(), h.lo() + (bestI + 0.5) * h.binWidth());
    }

    /** KL(P || Q) for threshold bin count i; {@code outliers} is the count at bins i and beyond. */
    static double divergence(long[] counts, int i, long outliers) {
        double[] p = new double[i];
        for (int k = 0; k < i; k++) {
            p[k] = counts[k];
        }
        p[i - 1] += outliers;
        double[] q = new double[i];
        for (int level = 0; level < LEVELS; level++) {
            int start = (int) ((long) level * i / LEVELS);
            int end = (int) ((long) (level + 1) * i / LEVELS);
            double sum = 0;
            int nonEmpty = 0;
            for (int k = start; k < end; k++) {
                sum += counts[k];
                if (counts[k] > 0) {
                    nonEmpty++;
                }
            }
            for (int k = start; k < end && nonEmpty > 0; k++) {
                if (counts[k] > 0) {
                    q[k] = sum / nonEmpty;
                }
            }
        }
        normalizeSmoothed(p);
        normalizeSmoothed(q);
        double kl = 0;
        for (int k = 0; k < i; k++) {
            if (p[k] > 0) {
                kl += p[k] * Math.log(p[k] / q[k]);
            }
        }
        return kl;
    }

    /** Normalizes to sum 1 and gives empty bins a small mass taken evenly from the others. */
    private static void normalizeSmoothed(double[] d) {
        double sum = 0;
        int zeros = 0;
        for (double v : d) {
            sum += v;
            if (v == 0) {
                zeros++;
            }
        }
        if (sum == 0) {
            java.util.Arrays.fill(d, 1.0 / d.length);
            return;
        }
        int nonZero = d.length - zeros;
        double take = zeros == 0 || nonZero == 0 ? 0 : SMOOTHING * zeros / nonZero;
        for (int k = 0; k < d.length; k++) {
            d[k] = d[k] == 0 ? SMOOTHING : Math.max(d[k] / sum - take, SMOOTHING * 0.5);
        }
    }
}
