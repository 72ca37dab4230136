package io.mconv.cli.render;

import io.mconv.agent.profile.ProfileListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One self-overwriting progress line on standard error ({@code \r}), for terminals only: the command turns it off
 * when standard error is not a terminal or with --json, so logs and pipes get no control characters.
 */
public final class ProfileProgress implements ProfileListener {

    private final PrintWriter err;
    private int lastLength;

    public ProfileProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void update(String model, String stage, double fraction) {
        String line = String.format(Locale.ROOT, "profiling %s: %s%s", model, stage,
                fraction < 0 ? "..." : String.format(Locale.ROOT, " %3.0f%%", 100 * fraction));
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    /** Clears the line, so the report starts on a clean one. */
    public void finish() {
        if (lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }
}
