package io.mconv.agent.pipeline;

import java.util.Objects;

/**
 * One finding of a step: expected situations (a provider that is missing, a node left in float) are diagnostics
 * with a code a script can match; bugs and I/O problems stay exceptions.
 *
 * @param severity {@code info}, {@code warning} or {@code error}
 * @param code     stable, kebab-case: {@code provider-unavailable}, {@code export-warning}
 */
public record Diagnostic(String severity, String code, String message) {

    public static final String INFO = "info";
    public static final String WARNING = "warning";

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Diagnostic info(String code, String message) {
        return new Diagnostic(INFO, code, message);
    }

    public static Diagnostic warning(String code, String message) {
        return new Diagnostic(WARNING, code, message);
    }
}
