package io.mconv.cli.shell;

import io.mconv.cli.render.Paint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The read-run loop of {@code mconv shell}: each line is split into words as a shell would (quotes group, a
 * backslash escapes) and run as the arguments of {@code mconv}, through a command line configured exactly like the
 * launcher's (error messages, exit codes, config defaults). A failing command prints its error and exit code, and
 * the shell goes on; {@code exit}, {@code quit} or Ctrl-D leave it.
 */
public final class InteractiveShell {

    private static final Set<String> LEAVE = Set.of("exit", "quit");
    static final String PROMPT = "mconv> ";

    private final Terminal terminal;
    private final Supplier<CommandLine> commandLines;
    private final CommandSpec completionModel;
    private final Optional<Path> historyFile;
    private final Paint paint;

    /**
     * @param commandLines a new, configured mconv command line per input line, so no option value or state of one
     *     command can leak into the next
     * @param completionModel the commands, options and option values Tab offers
     * @param historyFile where the history is kept; empty for none
     */
    public InteractiveShell(Terminal terminal, Supplier<CommandLine> commandLines, CommandSpec completionModel,
            Optional<Path> historyFile, Paint paint) {
        this.terminal = terminal;
        this.commandLines = commandLines;
        this.completionModel = completionModel;
        this.historyFile = historyFile;
        this.paint = paint;
    }

    /** Runs until exit, quit or end of input. */
    public void run() {
        PrintWriter out = terminal.writer();
        LineReader reader = reader(out);
        out.println("mconv shell: commands as on the command line without 'mconv' (try 'help'); Tab completes; "
                + "'exit' or Ctrl-D leaves.");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine(paint.apply(Paint.Style.BOLD, "mconv>") + " ");
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the line being typed, as in bash
            } catch (EndOfFileException e) {
                break;
            }
            List<String> words = reader.getParsedLine().words().stream().filter(w -> !w.isEmpty()).toList();
            if (words.isEmpty()) {
                continue;
            }
            if (words.size() == 1 && LEAVE.contains(words.get(0))) {
                break;
            }
            if (words.get(0).equals("shell")) {
                out.println("already in the mconv shell");
                out.flush();
                continue;
            }
            int code = execute(words, out);
            if (code != 0) {
                out.println(paint.apply(Paint.Style.RED, "exit " + code));
            }
            out.flush();
        }
        saveHistory(reader);
    }

    private int execute(List<String> words, PrintWriter out) {
        CommandLine commandLine = commandLines.get();
        commandLine.setOut(out);
        commandLine.setErr(out);
        return commandLine.execute(words.toArray(String[]::new));
    }

    private LineReader reader(PrintWriter out) {
        DefaultParser parser = new DefaultParser();
        // an unclosed quote continues on the next line, as in bash
        parser.setEofOnUnclosedQuote(true);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .appName("mconv")
                .terminal(terminal)
                .parser(parser)
                .completer(new ShellCompleter(completionModel, List.copyOf(LEAVE)))
                // '!' is text in mconv arguments, not a history reference
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        historyFile.ifPresent(file -> {
            try {
                Files.createDirectories(file.getParent());
                builder.variable(LineReader.HISTORY_FILE, file);
            } catch (IOException e) {
                out.println("mconv: warning: no history (cannot create " + file.getParent() + ": " + e.getMessage()
                        + ")");
            }
        });
        return builder.build();
    }

    private static void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // the history is a convenience: losing its last lines must not turn a clean exit into an error
        }
    }
}
