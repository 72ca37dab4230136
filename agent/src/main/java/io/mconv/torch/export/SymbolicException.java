package io.mconv.torch.export;

/**
 * A symbolic or the interpreter cannot lower what it was given (an argument it does not handle, a dynamic value
 * where a static one is needed). The interpreter adds the source position and reports it as an export error.
 */
public class SymbolicException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SymbolicException(String message) {
        super(message);
    }
}
