package io.mconv.agent.quantize.advisor;

import java.util.List;
import java.util.Map;

/**
 * A candidate plan after measurement, against the float model on this machine.
 *
 * @param candidate     the plan
 * @param bytes         the plan's model size, external data included
 * @param sizeRatio     bytes over the float model's
 * @param latencyMs     median ORT CPU latency, ORT optimizations on, the evaluator's thread count
 * @param latencyRatio  latencyMs over the float model's median from the same interleaved rounds (below 1: faster)
 * @param accuracy      outputs against the float model's
 * @param rewrites      nodes the plan rewrote (0: it changed nothing in this model)
 * @param opCounts      op histogram of the plan's model
 * @param notes         what the plan's passes left alone, calibration warnings
 * @param failure       why the plan could not be produced or run; null when it was measured
 */
public record MeasuredPlan(PlanCandidate candidate, long bytes, double sizeRatio, double latencyMs,
                           double latencyRatio, PlanAccuracy accuracy, int rewrites, Map<String, Integer> opCounts,
                           List<String> notes, String failure) {

    public MeasuredPlan {
        opCounts = Map.copyOf(opCounts);
        notes = List.copyOf(notes);
    }

    static MeasuredPlan failed(PlanCandidate candidate, String failure) {
        return new MeasuredPlan(candidate, 0, Double.NaN, Double.NaN, Double.NaN, null, 0, Map.of(), List.of(),
                failure);
    }

    public boolean measured() {
        return failure == null;
    }

    public String id() {
        return candidate.id();
    }

    /** Whether the plan's model holds this op (default domain, or "domain::op"). */
    public boolean has(String op) {
        return opCounts.getOrDefault(op, 0) > 0;
    }
}
