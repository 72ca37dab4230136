package io.mconv.cli;

import io.mconv.cli.completion.CompletionScript;
import io.mconv.cli.completion.OptionValueCandidates;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mconv completion bash|zsh}: the script that teaches the shell mconv's commands, options and values. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        description = {"Print a Tab-completion script for bash or zsh.",
                "It completes commands, options, option values (-O, --mode, --target, ...) and file names."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(mconv completion bash)                          # this bash session",
                "  echo 'source <(mconv completion bash)' >> ~/.bashrc      # every new bash",
                "  echo 'source <(mconv completion zsh)' >> ~/.zshrc        # zsh"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // a separate command line: the candidates are written into its option specs, which this run must not change
        CommandLine model = MconvCommand.freshCommandLine(spec);
        OptionValueCandidates.standard().applyTo(model);
        String script = shell == Shell.bash ? CompletionScript.bash(model) : CompletionScript.zsh(model);
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
