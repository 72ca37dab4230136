package io.mconv.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.cli.MconvCommand;
import io.mconv.cli.render.Paint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell's loop on a scripted, non-interactive terminal; ShellTmuxTest drives it on a real one. */
class InteractiveShellTest {

    private static final String MODEL = Path.of(System.getProperty("mconv.testdata.dir", "../testdata"))
            .toAbsolutePath().normalize().resolve("examples/tiny_cnn.onnx").toString();

    private static String run(String input, Optional<Path> history) throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        // JLine's builder would put a pseudo-terminal between the streams, which can see the end of the input before
        // the reader asks for its first line; the dumb terminal reads the stream itself
        try (Terminal terminal = new DumbTerminal(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                screen)) {
            new InteractiveShell(terminal, MconvCommand::commandLine, MconvCommand.commandLine().getCommandSpec(),
                    history, Paint.PLAIN).run();
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsEachLineKeepsGoingAfterErrorsAndShowsExitCodes(@TempDir Path tmp) throws IOException {
        Path history = tmp.resolve("state/mconv/history");
        String screen = run("inspect \"" + MODEL + "\" --top 1\n"
                + "inspect /nonexistent/model.onnx\n"
                + "optimize\n"
                + "\n"
                + "passes --json\n"
                + "shell\n"
                + "exit\n"
                + "inspect never-run.onnx\n", Optional.of(history));
        assertTrue(screen.contains("Parameters  5.42K (5,418)"), screen);
        assertTrue(screen.contains("mconv: error: ") && screen.contains("exit 3"), "unreadable model: " + screen);
        assertTrue(screen.contains("mconv: usage error: Missing required") && screen.contains("exit 2"), screen);
        assertTrue(screen.contains("\"schema\" : \"mconv.passes/1\""), screen);
        assertTrue(screen.contains("already in the mconv shell"), screen);
        assertTrue(!screen.contains("never-run.onnx'"), "nothing runs after exit");
        assertEquals(7, screen.split("mconv> ", -1).length - 1, "one prompt per line read up to exit:\n" + screen);
        // history: what was typed, one entry per line (JLine's file format prefixes a timestamp)
        List<String> saved = Files.readAllLines(history).stream().map(l -> l.substring(l.indexOf(':') + 1)).toList();
        assertEquals(List.of("inspect \"" + MODEL + "\" --top 1", "inspect /nonexistent/model.onnx", "optimize",
                "passes --json", "shell", "exit"), saved);
    }

    @Test
    void endOfInputLeavesLikeExit() throws IOException {
        String screen = run("passes\n", Optional.empty());
        assertTrue(screen.contains("fuse-conv-bn"), screen);
        assertEquals(2, screen.split("mconv> ", -1).length - 1, screen);
    }
}
