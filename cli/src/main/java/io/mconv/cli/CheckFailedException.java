package io.mconv.cli;

/** A check the user asked for failed (validation, constraint, compatibility): exit code 1. */
public class CheckFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CheckFailedException(String message) {
        super(message);
    }
}
