package io.mconv.agent.pipeline.workflow;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed workflow file: its conversions in the order they run.
 *
 * @param continueOnError run the later steps after one fails (the exit code is still the worst of all)
 */
public record Workflow(Path file, List<WorkflowStep> steps, boolean continueOnError) {

    /** The version of the format this build reads, the value of the document's {@code schema} key. */
    public static final String SCHEMA = "mconv.workflow/1";

    public Workflow {
        steps = List.copyOf(steps);
    }
}
