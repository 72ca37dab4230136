package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.cli.render.Paint;
import io.mconv.cli.render.ProfileProgress;
import io.mconv.cli.render.Terminal;
import io.mconv.cli.render.TtyProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TerminalTest {

    private static final CliEnvironment PLAIN_ENV = env(Map.of("TERM", "xterm-256color"));
    private static final TtyProbe BOTH_TTY = TtyProbe.fixed(true, true);

    private static CliEnvironment env(Map<String, String> vars) {
        return new CliEnvironment(vars, Path.of("/nonexistent-home"));
    }

    @Test
    void colourAndProgressOnATerminal() {
        Terminal t = Terminal.detect(PLAIN_ENV, BOTH_TTY, false, false);
        assertTrue(t.showProgress());
        assertEquals("\u001b[31merror:\u001b[0m", t.err().apply(Paint.Style.RED, "error:"));
        assertEquals("\u001b[1mx\u001b[0m", t.out().apply(Paint.Style.BOLD, "x"));
    }

    @Test
    void noColourWhenAskedOrWhenNotATerminal() {
        assertFalse(Terminal.detect(env(Map.of("NO_COLOR", "1")), BOTH_TTY, false, false).out().colour(), "NO_COLOR");
        assertFalse(Terminal.detect(env(Map.of("TERM", "dumb")), BOTH_TTY, false, false).err().colour(), "TERM=dumb");
        assertFalse(Terminal.detect(PLAIN_ENV, BOTH_TTY, false, true).out().colour(), "--no-color");
        assertFalse(Terminal.detect(PLAIN_ENV, BOTH_TTY, true, false).out().colour(), "--json");
        assertFalse(Terminal.detect(PLAIN_ENV, BOTH_TTY, true, false).err().colour(), "--json");
        Terminal piped = Terminal.detect(PLAIN_ENV, TtyProbe.fixed(false, true), false, false);
        assertFalse(piped.out().colour(), "stdout to a pipe");
        assertTrue(piped.err().colour(), "stderr still on the terminal");
        // NO_COLOR set but empty does not count (no-color.org: "present and not an empty string")
        assertTrue(Terminal.detect(env(Map.of("NO_COLOR", "")), BOTH_TTY, false, false).out().colour());
        assertEquals("text", Paint.PLAIN.apply(Paint.Style.RED, "text"));
    }

    @Test
    void progressOnlyOnATerminalAndNeverWithJson() {
        assertFalse(Terminal.detect(PLAIN_ENV, TtyProbe.fixed(true, false), false, false).showProgress(), "2> log");
        assertFalse(Terminal.detect(PLAIN_ENV, BOTH_TTY, true, false).showProgress(), "--json");
        // colour does not matter to progress: NO_COLOR keeps the line, only without colour
        assertTrue(Terminal.detect(env(Map.of("NO_COLOR", "1")), BOTH_TTY, false, false).showProgress());
    }

    @Test
    void progressLinePadsByVisibleLengthWhenColoured() {
        StringWriter s = new StringWriter();
        ProfileProgress p = new ProfileProgress(new PrintWriter(s), new Paint(true));
        p.update("model.onnx", "op profile", -1);
        p.update("m.onnx", "batch 1", 1.0);
        String second = "profiling m.onnx: batch 1 100%";
        int padding = "profiling model.onnx: op profile...".length() - second.length();
        assertTrue(s.toString().endsWith("\rprofiling \u001b[36mm.onnx\u001b[0m: batch 1 100%" + " ".repeat(padding)),
                s.toString());
    }

    @Test
    void commandsAskTheRootForTheirTerminal() {
        CommandLine cl = MconvCommand.commandLine(PLAIN_ENV, BOTH_TTY);
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("passes", "--no-color"), "--no-color is accepted after a subcommand too");
        CommandLine.Model.CommandSpec passes = cl.getSubcommands().get("passes").getCommandSpec();
        assertFalse(MconvCommand.terminal(passes, false).out().colour(), "--no-color after the subcommand");
        assertEquals(0, cl.execute("passes"));
        assertTrue(MconvCommand.terminal(passes, false).out().colour(), "reset by the next parse");
        assertTrue(MconvCommand.terminal(passes, false).showProgress());
        assertFalse(MconvCommand.terminal(passes, true).showProgress());
    }

    @Test
    void errorsAreRedOnlyOnATerminal() {
        StringWriter err = new StringWriter();
        CommandLine cl = MconvCommand.commandLine(PLAIN_ENV, BOTH_TTY);
        cl.setErr(new PrintWriter(err, true));
        assertEquals(ExitCodes.INVALID_INPUT, cl.execute("inspect", "/nonexistent/model.onnx"));
        assertTrue(err.toString().startsWith("mconv: \u001b[31merror:\u001b[0m "), err.toString());

        CliRun piped = CliRun.of("inspect", "/nonexistent/model.onnx");
        assertEquals(ExitCodes.INVALID_INPUT, piped.exitCode());
        assertTrue(piped.err().startsWith("mconv: error: "), piped.err());
    }
}
