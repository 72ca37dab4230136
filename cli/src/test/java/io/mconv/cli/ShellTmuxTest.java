package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mconv shell} on a real terminal: tmux runs it in a detached session, types into it, and reads the screen
 * back, as a user would see it. Every wait polls the screen up to a deadline, so a slow JVM start only costs time.
 */
class ShellTmuxTest {

    private static final Path REPO = Path.of(System.getProperty("mconv.testdata.dir", "../testdata"))
            .toAbsolutePath().normalize().getParent();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private Path socket;

    @Test
    void tabCompletesTheCommandAndTheModelThenRunsIt() throws Exception {
        Path tmux = onPath("tmux");
        socket = tmp.resolve("tmux.sock");
        Path state = tmp.resolve("state");
        Path launcher = tmp.resolve("mconv-shell.sh");
        Files.writeString(launcher, "#!/bin/sh\ncd '" + REPO + "' || exit 9\nexec '" + MainProcess.java() + "' -cp '"
                + MainProcess.classPath() + "' io.mconv.cli.Main shell\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        try {
            tmux(tmux, "new-session", "-d", "-s", "mconv", "-x", "150", "-y", "45",
                    "-e", "XDG_STATE_HOME=" + state, "-e", "XDG_CONFIG_HOME=" + tmp.resolve("config"),
                    launcher.toString());
            waitForScreen(tmux, s -> lastLine(s).equals("mconv>"), START, "the prompt");

            tmux(tmux, "send-keys", "-t", "mconv", "-l", "insp");
            tmux(tmux, "send-keys", "-t", "mconv", "Tab");
            waitForScreen(tmux, s -> lastLine(s).equals("mconv> inspect"), STEP, "'insp' + Tab completed to 'inspect '");

            tmux(tmux, "send-keys", "-t", "mconv", "-l", "testdata/examples/tiny_c");
            tmux(tmux, "send-keys", "-t", "mconv", "Tab");
            String completed = waitForScreen(tmux,
                    s -> lastLine(s).equals("mconv> inspect testdata/examples/tiny_cnn.onnx"), STEP,
                    "the model name completed (tiny_cnn.onnx is the only model among the tiny_cnn.* files)");
            assertTrue(completed.contains("mconv shell: "), "the banner is on screen:\n" + completed);

            tmux(tmux, "send-keys", "-t", "mconv", "Enter");
            String report = waitForScreen(tmux, s -> s.contains("Parameters  5.42K (5,418)")
                    && lastLine(s).equals("mconv>"), STEP, "the inspect report, then the prompt again");
            assertTrue(report.contains("Model       testdata/examples/tiny_cnn.onnx"), report);
            assertTrue(report.contains("IR version 8, opsets ai.onnx 17"), report);

            tmux(tmux, "send-keys", "-t", "mconv", "-l", "exit");
            tmux(tmux, "send-keys", "-t", "mconv", "Enter");
            waitForSessionEnd(tmux);
            List<String> history = Files.readAllLines(state.resolve("mconv/history"));
            assertEquals(2, history.size(), history.toString());
            assertTrue(history.get(0).endsWith(":inspect testdata/examples/tiny_cnn.onnx"), history.get(0));
            assertTrue(history.get(1).endsWith(":exit"), history.get(1));
        } finally {
            // only this test's own tmux server, on its private socket
            new ProcessBuilder(tmux.toString(), "-S", socket.toString(), "kill-server")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        fail(program + " is needed for this test and is not on PATH; install it with: sudo apt-get install -y "
                + program);
        return null;
    }

    private String tmux(Path tmux, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tmux.toString(), "-S", socket.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "tmux " + String.join(" ", args) + " hung");
        if (p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** The visible screen, wrapped lines joined. */
    private String screen(Path tmux) throws IOException, InterruptedException {
        return tmux(tmux, "capture-pane", "-p", "-J", "-t", "mconv");
    }

    private String waitForScreen(Path tmux, Predicate<String> ready, Duration limit, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = screen(tmux);
            if (ready.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        fail("waited " + limit.toSeconds() + " s for " + what + "; the screen:\n" + screen);
        return screen;
    }

    private void waitForSessionEnd(Path tmux) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder(tmux.toString(), "-S", socket.toString(), "has-session", "-t", "mconv")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(10, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                return; // the shell exited, and its session with it
            }
            Thread.sleep(100);
        }
        fail("the shell did not leave on 'exit'; the screen:\n" + screen(tmux));
    }

    /** The last non-blank line of the screen, trailing spaces dropped. */
    private static String lastLine(String screen) {
        List<String> lines = screen.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
