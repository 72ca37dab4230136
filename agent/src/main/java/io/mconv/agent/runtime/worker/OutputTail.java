package io.mconv.agent.runtime.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last lines a worker wrote to its stderr (plus stray stdout the protocol skipped), for error messages. A
 * daemon thread drains the stream so the worker never blocks on a full pipe; nothing is echoed, because mconv's
 * own stdout may carry a JSON document and its stderr is for mconv's messages.
 */
public final class OutputTail {

    /** Marks lines that came from the worker's stdout (skipped by the protocol) rather than its stderr. */
    public static final String STDOUT_PREFIX = "(stdout) ";

    private static final int MAX_LINES = 40;
    private static final int MAX_LINE_CHARS = 400;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final Thread drainer;

    private OutputTail(InputStream stream, String threadName) {
        drainer = new Thread(() -> drain(stream), threadName);
        drainer.setDaemon(true);
    }

    static OutputTail follow(InputStream stream, String threadName) {
        OutputTail tail = new OutputTail(stream, threadName);
        tail.drainer.start();
        return tail;
    }

    private void drain(InputStream stream) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                add(line);
            }
        } catch (IOException e) {
            // The worker is gone; what was read so far is all there is.
        }
    }

    public synchronized void add(String line) {
        if (line.isBlank()) {
            return;
        }
        lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + " [...]" : line);
        while (lines.size() > MAX_LINES) {
            lines.removeFirst();
        }
    }

    /** Waits up to {@code millis} for the stream to end, so that a dying worker's last words are in. */
    public void awaitEnd(long millis) {
        try {
            drainer.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The last {@code n} of {@code all}, as an indented block for an error message; "" when there are none. */
    public static String lastLines(List<String> all, int n) {
        List<String> last = all.subList(Math.max(0, all.size() - n), all.size());
        if (last.isEmpty()) {
            return "";
        }
        return "; its last output:\n    " + String.join("\n    ", last);
    }
}
