package io.mconv.agent.pipeline.workflow;

import io.mconv.agent.InvalidOptionException;
import java.nio.file.Path;

/**
 * A workflow file mconv cannot run as written: a usage error (exit 2), like a bad command-line option, whose message
 * names the file and the JSON pointer of the offending key ({@code /steps/0/quantize}).
 */
public final class WorkflowException extends InvalidOptionException {

    private static final long serialVersionUID = 1L;

    private final String pointer;

    public WorkflowException(Path file, String pointer, String why) {
        super(file + ": " + (pointer.isEmpty() ? "" : pointer + ": ") + why);
        this.pointer = pointer;
    }

    /** Where in the document the problem is ({@code ""} for the document as a whole). */
    public String pointer() {
        return pointer;
    }
}
