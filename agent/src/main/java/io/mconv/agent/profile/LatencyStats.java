package io.mconv.agent.profile;

import java.util.Arrays;

/**
 * Summary of one timing loop, in milliseconds. Percentiles interpolate linearly between the two nearest ranks
 * (numpy's default, "type 7" of Hyndman and Fan), so p50 of an even count is the mean of the middle two; the
 * standard deviation is the sample one (n - 1), 0 for a single sample.
 */
public record LatencyStats(int count, double mean, double p50, double p90, double p95, double p99, double min,
                           double max, double stddev) {

    /** @param samplesMs one latency per iteration; at least one */
    public static LatencyStats of(double[] samplesMs) {
        if (samplesMs.length == 0) {
            throw new IllegalArgumentException("no latency samples");
        }
        double[] sorted = samplesMs.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / sorted.length;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        double stddev = sorted.length > 1 ? Math.sqrt(squares / (sorted.length - 1)) : 0;
        return new LatencyStats(sorted.length, mean, percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 95), percentile(sorted, 99), sorted[0], sorted[sorted.length - 1], stddev);
    }

    /**
     * The {@code q}-th percentile (0..100) of ascending {@code sorted} values: position {@code q/100 * (n-1)},
     * interpolated between its neighbours.
     */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0 || q < 0 || q > 100) {
            throw new IllegalArgumentException("percentile " + q + " of " + sorted.length + " values");
        }
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    /** Nanosecond samples (what the timing loop records) to milliseconds. */
    public static double[] nanosToMillis(long[] nanos) {
        double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        return ms;
    }
}
