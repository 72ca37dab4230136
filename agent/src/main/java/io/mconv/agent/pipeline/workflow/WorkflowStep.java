package io.mconv.agent.pipeline.workflow;

import io.mconv.agent.pipeline.ConvertRequest;
import java.nio.file.Path;

/**
 * One conversion of a workflow.
 *
 * @param index  its place in the file's {@code steps} array, from 0 (as the error pointers name it)
 * @param report where to write its {@code mconv.convert/1} report, or null
 */
public record WorkflowStep(int index, ConvertRequest request, Path report) {
}
