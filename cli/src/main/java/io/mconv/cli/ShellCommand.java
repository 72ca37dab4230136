package io.mconv.cli;

import io.mconv.cli.completion.OptionValueCandidates;
import io.mconv.cli.render.Paint;
import io.mconv.cli.shell.InteractiveShell;
import io.mconv.cli.shell.ShellHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mconv shell}: an interactive prompt with history and Tab completion, running mconv commands. */
@Command(name = "shell",
        mixinStandardHelpOptions = true,
        description = {"An interactive mconv prompt with history and Tab completion.",
                "Type commands without 'mconv'; Tab completes commands, options, option values and file names. "
                        + "History is kept in $XDG_STATE_HOME/mconv/history (~/.local/state/mconv/history). A failing "
                        + "command shows its error and exit code and the shell goes on; 'exit', 'quit' or Ctrl-D "
                        + "leave."},
        footerHeading = "%nExamples:%n",
        footer = {"  mconv shell",
                "  mconv> insp<Tab> testdata/examples/tiny_c<Tab>      completes to: inspect testdata/examples/tiny_cnn.onnx",
                "  mconv> optimize model.onnx -O <Tab>                 offers: aggressive basic none"})
final class ShellCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CliEnvironment env = spec.root().userObject() instanceof MconvCommand root ? root.environment()
                : CliEnvironment.system();
        Paint paint = MconvCommand.terminal(spec, false).out();
        CommandLine completionModel = MconvCommand.freshCommandLine(spec);
        OptionValueCandidates.standard().applyTo(completionModel);
        // dumb(true): when input is not a terminal (a pipe, a script) JLine reads plain lines instead of warning
        try (Terminal terminal = TerminalBuilder.builder().name("mconv").system(true).dumb(true).build()) {
            new InteractiveShell(terminal, () -> MconvCommand.freshCommandLine(spec),
                    completionModel.getCommandSpec(), Optional.of(ShellHistory.location(env)), paint).run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
        return ExitCodes.OK;
    }
}
