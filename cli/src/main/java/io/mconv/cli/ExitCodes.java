package io.mconv.cli;

/** The documented exit codes (README "Exit codes"); scripts rely on them, so they never change meaning. */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** A check failed: validation mismatch, constraint not met, target incompatible. */
    public static final int CHECK_FAILED = 1;
    /** Usage error: unknown option, bad value, conflicting output path. */
    public static final int USAGE = 2;
    /** The input is unreadable or invalid (including an unsupported op in a source model). */
    public static final int INVALID_INPUT = 3;
    /** A bug in mconv or a failure of the machine (I/O error writing the output). */
    public static final int INTERNAL = 4;

    private ExitCodes() {
    }
}
