package io.mconv.cli.render;

import io.mconv.agent.profile.ProfileListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One self-overwriting progress line on standard error ({@code \r}), for terminals only: the command creates it
 * only when {@link Terminal#showProgress()} says so, so logs, pipes and --json get no control characters.
 */
public final class ProfileProgress implements ProfileListener {

    private final PrintWriter err;
    private final Paint paint;
    private int lastLength;

    public ProfileProgress(PrintWriter err, Paint paint) {
        this.err = err;
        this.paint = paint;
    }

    @Override
    public void update(String model, String stage, double fraction) {
        String rest = String.format(Locale.ROOT, ": %s%s", stage,
                fraction < 0 ? "..." : String.format(Locale.ROOT, " %3.0f%%", 100 * fraction));
        String plain = "profiling " + model + rest;
        // padding counts visible characters only: the colour codes take no room on the screen
        err.print("\r" + "profiling " + paint.apply(Paint.Style.CYAN, model) + rest
                + " ".repeat(Math.max(0, lastLength - plain.length())));
        err.flush();
        lastLength = plain.length();
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
