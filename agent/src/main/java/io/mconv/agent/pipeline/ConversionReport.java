package io.mconv.agent.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * The figures of one conversion, for the JSON report a CI job gates on.
 *
 * @param output          where the model was written; null when a constraint was missed (nothing written)
 * @param sourceBytes     the source file's size
 * @param targetBytes     the result's size (model and external data)
 * @param conversionMs    wall time of this run (a cache hit makes it short; each step's own time is in steps)
 * @param peakMemoryBytes the process's peak resident memory (VmHWM), -1 where the OS does not say
 * @param speedup         float ONNX latency over the result's (ORT cpu medians), NaN when not profiled
 * @param latencyMs       the result's median ORT cpu latency, NaN when not profiled
 * @param baselineLatencyMs the float ONNX model's median, NaN when not profiled
 * @param accuracyDrop    worst 1 − cosine of the result against the source, NaN when not validated
 * @param constraints     each constraint with its measured figure
 */
public record ConversionReport(Path source, String sourceSha256, Path output, long sourceBytes, long targetBytes,
                               double conversionMs, long peakMemoryBytes, double speedup, double latencyMs,
                               double baselineLatencyMs, double accuracyDrop, List<StepResult> steps,
                               List<ConstraintCheck> constraints) {

    public ConversionReport {
        steps = List.copyOf(steps);
        constraints = List.copyOf(constraints);
    }

    public boolean constraintsMet() {
        return constraints.stream().allMatch(ConstraintCheck::met);
    }

    public List<ConstraintCheck> missed() {
        return constraints.stream().filter(c -> !c.met()).toList();
    }

    public long cacheHits() {
        return steps.stream().filter(StepResult::cached).count();
    }

    public ConversionReport withOutput(Path written, long bytes) {
        return new ConversionReport(source, sourceSha256, written, sourceBytes, bytes, conversionMs, peakMemoryBytes,
                speedup, latencyMs, baselineLatencyMs, accuracyDrop, steps, constraints);
    }
}
