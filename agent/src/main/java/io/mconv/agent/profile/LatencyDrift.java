package io.mconv.agent.profile;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the machine's speed changed while a timing loop ran: the median of the first half of the runs against
 * the median of the second half. On a shared machine the same model can run 1.4 to 2 times slower for a quarter
 * second to a few seconds (other tenants, frequency changes); a loop caught across such a change has a median that
 * another run of the same command will not repeat. Saying so lets a user (or a CI job gating on latency) measure
 * again, longer, instead of trusting a figure the machine cannot reproduce.
 *
 * @param firstHalfP50  median of the first half of the runs, ms
 * @param secondHalfP50 median of the second half, ms
 */
public record LatencyDrift(double firstHalfP50, double secondHalfP50) {

    /** Halves further apart than this, relative to the smaller, are reported. */
    public static final double THRESHOLD = 0.10;
    /** Below this many runs, halves are too small to compare. */
    public static final int MIN_RUNS = 20;

    /** @param samplesMs the loop's latencies in the order they were measured */
    public static Optional<LatencyDrift> of(double[] samplesMs) {
        if (samplesMs.length < MIN_RUNS) {
            return Optional.empty();
        }
        int half = samplesMs.length / 2;
        return Optional.of(new LatencyDrift(median(Arrays.copyOfRange(samplesMs, 0, half)),
                median(Arrays.copyOfRange(samplesMs, samplesMs.length - half, samplesMs.length))));
    }

    /** How far apart the halves are, relative to the faster one (0.25 = 25%). */
    public double relative() {
        return Math.abs(firstHalfP50 - secondHalfP50) / Math.min(firstHalfP50, secondHalfP50);
    }

    public boolean significant() {
        return relative() > THRESHOLD;
    }

    /** The warning a profile carries when {@link #significant()}. */
    public String warning(String loop) {
        return String.format(Locale.ROOT, "%s: the median of the first half of the runs was %.3f ms and of the "
                + "second half %.3f ms (%.0f%% apart): the machine's speed changed while it was measured, so "
                + "another run may not repeat these figures; measure longer (--duration 10s) or on a quiet machine",
                loop, firstHalfP50, secondHalfP50, 100 * relative());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return LatencyStats.percentile(sorted, 50);
    }
}
