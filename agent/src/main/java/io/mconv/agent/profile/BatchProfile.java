package io.mconv.agent.profile;

import java.util.Map;
import java.util.Optional;

/**
 * The timing loop of one model at one batch size.
 *
 * @param batch          the batch size, or null when the inputs ran as declared (no --batch)
 * @param inputShapes    the concrete shape of every input fed
 * @param latency        per-iteration latency
 * @param samplesMs      every iteration's latency in order (for histograms and exports)
 * @param throughputPerS items per second at the mean latency: batch / mean (inferences per second without --batch)
 * @param macs           multiply-accumulates of one inference at these shapes, or -1 when unknown
 * @param macsComplete   false when some nodes' shapes were unknown, so {@code macs} is a lower bound
 * @param gflops         achieved GFLOP/s at the median latency (2 FLOPs per MAC), or NaN without MACs
 * @param histogram      the samples in equal-width bins
 */
public record BatchProfile(Integer batch, Map<String, long[]> inputShapes, LatencyStats latency, double[] samplesMs,
                           double throughputPerS, long macs, boolean macsComplete, double gflops,
                           LatencyHistogram histogram) {

    public BatchProfile {
        inputShapes = Map.copyOf(inputShapes);
        samplesMs = samplesMs.clone();
    }

    @Override
    public double[] samplesMs() {
        return samplesMs.clone();
    }

    /** The loop's drift when the machine's speed changed enough while it ran to matter (see {@link LatencyDrift}). */
    public Optional<LatencyDrift> drift() {
        return LatencyDrift.of(samplesMs).filter(LatencyDrift::significant);
    }

    /** What a report says about {@link #drift()}, if anything. */
    public Optional<String> driftWarning(String what) {
        return drift().map(d -> d.warning(batch == null ? what : what + " at batch " + batch));
    }
}
