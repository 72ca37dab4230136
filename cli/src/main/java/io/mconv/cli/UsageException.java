package io.mconv.cli;

/** A bad option value found after parsing (e.g. an input name the model does not have): exit code 2. */
public class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
