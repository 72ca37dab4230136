package io.mconv.agent.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The user's limits on the result ({@code --max-size}, {@code --max-latency}, {@code --max-accuracy-drop}); each
 * null when not given. Checked on the measured result before anything is written.
 */
public record Constraints(Long maxBytes, Duration maxLatency, Double maxAccuracyDrop) {

    public static final Constraints NONE = new Constraints(null, null, null);

    public boolean any() {
        return maxBytes != null || maxLatency != null || maxAccuracyDrop != null;
    }

    /**
     * @param bytes        the result's size
     * @param latencyMs    its median ORT CPU latency, or NaN when it was not profiled
     * @param accuracyDrop its worst 1 − cosine against the source, or NaN when it was not validated
     */
    public List<ConstraintCheck> check(long bytes, double latencyMs, double accuracyDrop) {
        List<ConstraintCheck> out = new ArrayList<>();
        if (maxBytes != null) {
            out.add(new ConstraintCheck("max-size", maxBytes + " bytes", bytes + " bytes", bytes <= maxBytes));
        }
        if (maxLatency != null) {
            double limitMs = maxLatency.toNanos() / 1e6;
            out.add(new ConstraintCheck("max-latency", fmt(limitMs) + " ms",
                    Double.isNaN(latencyMs) ? "not measured" : fmt(latencyMs) + " ms", latencyMs <= limitMs));
        }
        if (maxAccuracyDrop != null) {
            out.add(new ConstraintCheck("max-accuracy-drop", fmt(maxAccuracyDrop),
                    Double.isNaN(accuracyDrop) ? "not measured" : fmt(accuracyDrop), accuracyDrop <= maxAccuracyDrop));
        }
        return out;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.6g", d);
    }
}
