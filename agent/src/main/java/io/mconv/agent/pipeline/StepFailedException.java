package io.mconv.agent.pipeline;

/**
 * A step of a plan failed: names the step and its type (export, optimization, quantization, validation) in front of
 * the cause's own message. The cause keeps its type, so the CLI maps it to the exit code it always had (an invalid
 * source stays 3, a validation mismatch stays 1).
 */
public final class StepFailedException extends RuntimeException {

    private final String step;
    private final StepKind kind;

    public StepFailedException(String step, StepKind kind, RuntimeException cause) {
        super("the " + kind.failureType() + " step (" + step + ") failed: " + cause.getMessage(), cause);
        this.step = step;
        this.kind = kind;
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
