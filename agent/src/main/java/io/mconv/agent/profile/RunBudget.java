package io.mconv.agent.profile;

import java.time.Duration;

/**
 * How long one timing loop runs: a fixed number of iterations, or as many as fit in a wall-clock duration (at
 * least one).
 */
public record RunBudget(int iterations, Duration duration) {

    public RunBudget {
        if ((iterations > 0) == (duration != null)) {
            throw new IllegalArgumentException("give either iterations or a duration");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
    }

    public static RunBudget iterations(int n) {
        return new RunBudget(n, null);
    }

    public static RunBudget duration(Duration d) {
        return new RunBudget(0, d);
    }

    boolean isDuration() {
        return duration != null;
    }

    /** Whether the loop stops after {@code done} iterations taking {@code elapsedNanos} in all. */
    boolean finished(int done, long elapsedNanos) {
        return isDuration() ? elapsedNanos >= duration.toNanos() : done >= iterations;
    }

    /**
     * Sample slots to allocate before the loop so it never grows the array while timing: exact for an iteration
     * count, the expected count plus a half for a duration (from a warm-up estimate of one run).
     */
    int initialCapacity(long estimatedRunNanos) {
        if (!isDuration()) {
            return iterations;
        }
        long expected = duration.toNanos() / Math.max(1, estimatedRunNanos);
        return (int) Math.min(50_000_000L, Math.max(16, expected + expected / 2));
    }

    /** Progress as a fraction in [0, 1]. */
    double fraction(int done, long elapsedNanos) {
        double f = isDuration() ? (double) elapsedNanos / duration.toNanos() : (double) done / iterations;
        return Math.min(1, f);
    }
}
