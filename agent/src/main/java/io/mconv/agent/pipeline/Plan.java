package io.mconv.agent.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * The ordered chain of steps for one source: what {@code --dry-run} prints and what {@link PlanRunner} runs.
 *
 * @param source     the user's model
 * @param sourceKind {@code torchscript} or {@code onnx}
 * @param output     where the result will be written
 * @param steps      in the order they run
 * @param notes      what the planner decided and why (a missing GPU provider, a step left out), one line each
 */
public record Plan(Path source, String sourceKind, Path output, List<Tool> steps, List<String> notes) {

    public Plan {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }
}
