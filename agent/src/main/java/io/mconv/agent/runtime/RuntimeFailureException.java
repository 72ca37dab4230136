package io.mconv.agent.runtime;

/**
 * The runtime refused the model or the run: an invalid model, an operator without a kernel, a shape the kernel
 * rejects. The message carries the runtime's own words, so callers can tell "the runtime cannot run this model"
 * (a finding to report) from a bug in mconv (any other exception).
 */
public class RuntimeFailureException extends RuntimeException {

    private final String runtimeCode;

    /**
     * @param runtimeCode the runtime's error code when it has one ({@code ORT_INVALID_GRAPH}), else null
     */
    public RuntimeFailureException(String message, String runtimeCode, Throwable cause) {
        super(message, cause);
        this.runtimeCode = runtimeCode;
    }

    /** The runtime's error code ({@code ORT_NOT_IMPLEMENTED}, ...) or null. */
    public String runtimeCode() {
        return runtimeCode;
    }
}
