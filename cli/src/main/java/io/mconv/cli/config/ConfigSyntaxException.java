package io.mconv.cli.config;

/** The config file cannot be used: unreadable, a line that is not {@code key = value}, or a key naming nothing. */
public final class ConfigSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigSyntaxException(String message) {
        super(message);
    }
}
