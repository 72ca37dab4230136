package io.mconv.agent.profile;

import java.util.Arrays;

/**
 * Latencies counted into equal-width bins from the fastest to the slowest sample, for the report's histogram.
 *
 * @param startMs lower edge of the first bin (the minimum sample)
 * @param binMs   width of every bin; 0 when all samples are equal (then one bin holds them all)
 * @param counts  samples per bin; the last bin includes its upper edge (the maximum)
 */
public record LatencyHistogram(double startMs, double binMs, int[] counts) {

    public LatencyHistogram {
        counts = counts.clone();
    }

    public static LatencyHistogram of(double[] samplesMs, int bins) {
        if (samplesMs.length == 0 || bins < 1) {
            throw new IllegalArgumentException(samplesMs.length + " samples in " + bins + " bins");
        }
        double min = Arrays.stream(samplesMs).min().orElseThrow();
        double max = Arrays.stream(samplesMs).max().orElseThrow();
        if (max == min) {
            return new LatencyHistogram(min, 0, new int[] {samplesMs.length});
        }
        double width = (max - min) / bins;
        int[] counts = new int[bins];
        for (double v : samplesMs) {
            counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        }
        return new LatencyHistogram(min, width, counts);
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }
}
