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

    /** The comparison that failed, or null when validation could not run at all. */
    public ValidationReport report() {
        return report;
    }
}
