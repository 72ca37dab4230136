package io.mconv.agent.pipeline;

import java.nio.file.Path;

/**
 * A step of a plan failed: names the step and its type (export, optimization, quantization, validation) in front of
 * the cause's own message. The cause keeps its type, so the CLI maps it to the exit code it always had (an invalid
 * source stays 3, a validation mismatch stays 1).
 */
public final class StepFailedException extends RuntimeException {

    private final String step;
    private final StepKind kind;

    /**
     * @param intermediate the file the step read when an earlier step made it (a path in the cache the user never
     *                     named), or null; the message calls it {@code description} instead
     * @param description  what the intermediate is, in the user's terms: "m.onnx after the optimize step"
     */
    public StepFailedException(String step, StepKind kind, RuntimeException cause, Path intermediate,
                               String description) {
        super("the " + kind.failureType() + " step (" + step + ") failed: " + renamed(cause.getMessage(),
                intermediate, description), cause);
        this.step = step;
        this.kind = kind;
    }

    private static String renamed(String message, Path intermediate, String description) {
        if (message == null || intermediate == null) {
            return message;
        }
        return message.replace(intermediate.toString(), description);
    }

    public String step() {
        return step;
    }

    public StepKind kind() {
        return kind;
    }

    @Override
    public synchronized RuntimeException getCause() {
        return (RuntimeException) super.getCause();
    }
}
