package io.mconv.agent.runtime;

import io.mconv.onnx.io.InvalidModelException;

import java.nio.file.Path;

/**
 * The runtime refused to load the model at all (as opposed to failing one run of it): for a model the user gave
 * mconv, that is invalid input, exit 3, whichever command met it ({@link #asInvalidInput}).
 */
public final class RuntimeLoadFailureException extends RuntimeFailureException {

    private final String runtime;
    private final String reason;

    /**
     * @param runtime the runtime's name, as messages say it ("onnxruntime")
     * @param source  what was loaded (a path, or a label for an in-memory model)
     * @param reason  the runtime's own words
     */
    public RuntimeLoadFailureException(String runtime, String source, String reason, String runtimeCode,
                                       Throwable cause) {
        super(runtime + " cannot load " + source + ": " + reason, runtimeCode, cause);
        this.runtime = runtime;
        this.reason = reason;
    }

    /** The runtime's words, without "cannot load SOURCE". */
    public String reason() {
        return reason;
    }

    /** "FILE: onnxruntime cannot load it: REASON" on one line, for a file the user named. */
    public InvalidModelException asInvalidInput(Path file) {
        return new InvalidModelException(file, runtime + " cannot load it: " + reason.strip().replaceAll("\\s+", " "),
                this);
    }
}
