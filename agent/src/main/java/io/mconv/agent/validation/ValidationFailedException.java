package io.mconv.agent.validation;

/**
 * The converted model does not compute what the source computes (or cannot be shown to): nothing was written.
 * The CLI maps it to exit code 1.
 */
public class ValidationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ValidationReport report;

    public ValidationFailedException(String message, ValidationReport report) {
        super(message);
        this.report = report;
    }

    /**
     * A runtime refused a model the check needed, so the check could not run: {@code what} (ending in ": "), the
     * runtime's words on one line, and how to go on without the check.
     */
    public static ValidationFailedException runtimeRefused(String what, String runtimeMessage) {
        return new ValidationFailedException(what + runtimeMessage.strip().replaceAll("\\s+", " ")
                + " (use --no-validate to write it unchecked)", null);
    }

    /** The comparison that failed, or null when validation could not run at all. */
    public ValidationReport report() {
        return report;
    }
}
