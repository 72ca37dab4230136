package io.mconv.agent.prune;

import io.mconv.ir.Shape;
import java.util.Map;

/**
 * What {@code mconv prune} was asked.
 *
 * @param sparsity          share of each layer's weights (unstructured) or output channels (structured), in (0, 1)
 * @param structured        remove whole output channels instead of zeroing single weights
 * @param maxAccuracyDrop   refuse (write nothing) when 1 − cosine of an output exceeds this; null for no bar, as
 *                          pruning without fine-tuning is expected to lose accuracy and the report says how much
 * @param inputShapes       fixed shapes for symbolic input dimensions, for the measuring inputs
 * @param latencyRuns       timed runs per model for the latency ratio (median), 0 to skip timing
 */
public record PruneOptions(double sparsity, boolean structured, Double maxAccuracyDrop,
                           Map<String, Shape> inputShapes, int latencyRuns) {

    public PruneOptions {
        inputShapes = Map.copyOf(inputShapes);
        if (maxAccuracyDrop != null && !(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 2)) {
            throw new IllegalArgumentException("--max-accuracy-drop must be between 0 and 2 (1 − cosine), got "
                    + maxAccuracyDrop);
        }
    }

    public static PruneOptions of(double sparsity, boolean structured) {
        return new PruneOptions(sparsity, structured, null, Map.of(), 5);
    }

    public PruneOptions withMaxAccuracyDrop(Double drop) {
        return new PruneOptions(sparsity, structured, drop, inputShapes, latencyRuns);
    }

    public PruneOptions withInputShapes(Map<String, Shape> shapes) {
        return new PruneOptions(sparsity, structured, maxAccuracyDrop, shapes, latencyRuns);
    }

    public PruneOptions withLatencyRuns(int runs) {
        return new PruneOptions(sparsity, structured, maxAccuracyDrop, inputShapes, runs);
    }
}
