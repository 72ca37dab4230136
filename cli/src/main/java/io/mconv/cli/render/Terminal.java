package io.mconv.cli.render;

import io.mconv.cli.CliEnvironment;

/**
 * The one decision of what mconv may print beyond plain text: progress lines only when standard error is a
 * terminal and the command is not printing JSON; colour only on a terminal, and never with {@code --no-color},
 * {@code NO_COLOR} set to anything (https://no-color.org) or {@code TERM=dumb}.
 */
public final class Terminal {

    private final boolean stdoutIsTerminal;
    private final boolean stderrIsTerminal;
    private final boolean json;
    private final boolean colourAllowed;

    private Terminal(boolean stdoutIsTerminal, boolean stderrIsTerminal, boolean json, boolean colourAllowed) {
        this.stdoutIsTerminal = stdoutIsTerminal;
        this.stderrIsTerminal = stderrIsTerminal;
        this.json = json;
        this.colourAllowed = colourAllowed;
    }

    public static Terminal detect(CliEnvironment env, TtyProbe probe, boolean json, boolean noColorOption) {
        boolean colourAllowed = !noColorOption && env.variable("NO_COLOR").isEmpty()
                && !"dumb".equals(env.variable("TERM").orElse(""));
        return new Terminal(probe.stdoutIsTerminal(), probe.stderrIsTerminal(), json, colourAllowed);
    }

    /** Plain text everywhere: what tests and pipes get. */
    public static Terminal plain() {
        return new Terminal(false, false, false, false);
    }

    /** Whether a self-overwriting progress line may go to standard error. */
    public boolean showProgress() {
        return stderrIsTerminal && !json;
    }

    /** Styles for standard output: JSON is never coloured, so scripts parse what they expect. */
    public Paint out() {
        return new Paint(stdoutIsTerminal && colourAllowed && !json);
    }

    /** Styles for standard error (messages); off with --json too, whose callers are scripts reading both streams. */
    public Paint err() {
        return new Paint(stderrIsTerminal && colourAllowed && !json);
    }
}
