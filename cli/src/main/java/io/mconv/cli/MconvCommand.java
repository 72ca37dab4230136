package io.mconv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: lists the subcommands; each subcommand is one class that parses, calls the agent, renders. */
@Command(name = "mconv",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Convert neural-network models to ONNX, make them smaller and faster, and prove they still "
                + "compute what the source computed.",
        subcommands = {InspectCommand.class, ConvertCommand.class, OptimizeCommand.class, PassesCommand.class,
                ProfileCommand.class, ValidateCommand.class, CheckCommand.class, QuantizeCommand.class, PruneCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0 ok, 1 a check failed, 2 usage error, 3 unreadable or invalid input, 4 internal error"})
public final class MconvCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    /** The configured command line: tests use it exactly as the launcher does. */
    public static CommandLine commandLine() {
        ErrorReporter reporter = new ErrorReporter();
        return new CommandLine(new MconvCommand())
                .setExecutionExceptionHandler(reporter)
                .setParameterExceptionHandler(reporter)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
