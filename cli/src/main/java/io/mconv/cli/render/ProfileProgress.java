package io.mconv.cli.render;

import io.mconv.agent.profile.ProfileListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Whether standard error is a terminal. Java only tells whether stdin and stdout are ({@code System.console()}),
     * which is the wrong stream: {@code mconv profile m.onnx > report.txt} should still show progress, and
     * {@code 2> log} should not get carriage returns. On Linux, fd 2's link names the device; elsewhere the console
     * check is the best guess.
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
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
