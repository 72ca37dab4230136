package io.mconv.agent;

/**
 * An option value the library cannot honour for this model (an unknown pass name, an opset that cannot be
 * raised, an input shape for an input the model lacks). The CLI maps it to exit code 2, as a usage error.
 */
public class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String message) {
        super(message);
    }
}
