package io.mconv.agent.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * What running a plan gave: every step's result, the final model (still in the store) and the float ONNX model the
 * chain started from.
 *
 * @param sourceSha256 the source file's content hash
 */
public record PlanRun(String sourceSha256, List<StepResult> steps, Path finalModel, Path baseline) {

    public PlanRun {
        steps = List.copyOf(steps);
    }

    public long cacheHits() {
        return steps.stream().filter(StepResult::cached).count();
    }
}
