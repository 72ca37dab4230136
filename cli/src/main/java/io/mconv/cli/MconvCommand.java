package io.mconv.cli;

import io.mconv.cli.config.ConfigDefaults;
import io.mconv.cli.config.ConfigFile;
import io.mconv.cli.render.Terminal;
import io.mconv.cli.render.TtyProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: lists the subcommands; each subcommand is one class that parses, calls the agent, renders. */
@Command(name = "mconv",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Convert neural-network models to ONNX, make them smaller and faster, and prove they still "
                + "compute what the source computed.",
        subcommands = {InspectCommand.class, ConvertCommand.class, OptimizeCommand.class, PassesCommand.class,
                ProfileCommand.class, ValidateCommand.class, CheckCommand.class, QuantizeCommand.class,
                PruneCommand.class, RunCommand.class, ShellCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  mconv inspect model.onnx",
                "  mconv convert model.pt --to onnx --quantize int8",
                "  mconv run workflow.json                   # the conversions a CI job keeps in its repo",
                "  mconv shell                               # interactive, with Tab completion",
                "  source <(mconv completion bash)           # Tab completion in bash",
                "",
                "Exit codes:",
                "  0 ok, 1 a check failed, 2 usage error, 3 invalid input, 4 internal error",
                "",
                "Defaults: lines such as 'optimize.O = aggressive' in ~/.config/mconv/config",
                "  ($XDG_CONFIG_HOME/mconv/config; MCONV_CONFIG names another file).",
                "Colour only on a terminal; NO_COLOR or --no-color turn it off."})
public final class MconvCommand implements Runnable {

    private final CliEnvironment environment;
    private final TtyProbe ttyProbe;

    // Inherited, so it is accepted after any subcommand too (`mconv profile m.onnx --no-color`); the subcommands'
    // copies set this field.
    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colour, even on a terminal (the NO_COLOR environment variable does the same).")
    boolean noColor;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    MconvCommand(CliEnvironment environment, TtyProbe ttyProbe) {
        this.environment = environment;
        this.ttyProbe = ttyProbe;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    /** The configured command line for this process's environment and streams: what the launcher runs. */
    public static CommandLine commandLine() {
        return commandLine(CliEnvironment.system(), TtyProbe.SYSTEM);
    }

    /** The configured command line: tests use it exactly as the launcher does, with their own surroundings. */
    public static CommandLine commandLine(CliEnvironment environment, TtyProbe ttyProbe) {
        ConfigDefaults defaults = new ConfigDefaults(() -> ConfigFile.read(ConfigFile.locate(environment)));
        ErrorReporter reporter = new ErrorReporter(defaults);
        CommandLine cmd = new CommandLine(new MconvCommand(environment, ttyProbe))
                .setExecutionExceptionHandler(reporter)
                .setParameterExceptionHandler(reporter)
                .setCaseInsensitiveEnumValuesAllowed(true);
        // picocli's own help command has no examples; every command's help shows some
        cmd.getSubcommands().get("help").getCommandSpec().usageMessage()
                .footerHeading("%nExamples:%n")
                .footer("  mconv help optimize", "  mconv help");
        // after the subcommands exist: picocli hands the provider to the commands present when it is set
        cmd.setDefaultValueProvider(defaults);
        cmd.setExecutionStrategy(new ColourAwareExecution(new CommandLine.RunLast()));
        return cmd;
    }

    /** What the command may print beyond plain text (progress, colour), for the command whose spec is given. */
    public static Terminal terminal(CommandLine.Model.CommandSpec spec, boolean json) {
        if (spec.root().userObject() instanceof MconvCommand root) {
            return root.terminal(json);
        }
        return Terminal.plain();
    }

    /** A new command line with the same surroundings as the one running the given command (for the shell and completion). */
    static CommandLine freshCommandLine(CommandLine.Model.CommandSpec spec) {
        if (spec.root().userObject() instanceof MconvCommand root) {
            return commandLine(root.environment, root.ttyProbe);
        }
        return commandLine();
    }

    Terminal terminal(boolean json) {
        return Terminal.detect(environment, ttyProbe, json, noColor);
    }

    CliEnvironment environment() {
        return environment;
    }
}
