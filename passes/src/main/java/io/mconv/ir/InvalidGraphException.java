package io.mconv.ir;

/**
 * The model's structure is invalid: two producers for one value, a use of a value nothing defines, a cycle, a bad
 * tensor or type. Thrown by the importer and the verifier; the CLI turns it into exit code 3 with the file's name.
 */
public class InvalidGraphException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidGraphException(String message) {
        super(message);
    }

    public InvalidGraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
