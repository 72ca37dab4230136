package io.mconv.cli.config;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option defaults from the user's config file to picocli, which applies them only to options the command
 * line did not give (so the command line wins). The file is read on the first question, during parsing, so that
 * a broken file is reported like any usage error (exit 2) instead of failing before the command line exists.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    private final Supplier<List<ConfigEntry>> source;
    private Map<OptionSpec, ConfigEntry> byOption;
    /** The entries picocli has asked for in this run: a conversion error on one of them points at its line. */
    private final Map<ArgSpec, ConfigEntry> supplied = new IdentityHashMap<>();

    public ConfigDefaults(Supplier<List<ConfigEntry>> source) {
        this.source = source;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        ConfigEntry entry = entries(arg.command().root()).get(option);
        if (entry == null) {
            return null;
        }
        supplied.put(arg, entry);
        return entry.value();
    }

    /**
     * Where a parse error came from when a config value caused it: the option's own conversion error carries the
     * option; a check in the command (e.g. an unknown optimization level) only quotes the value, so a supplied
     * value quoted in the message is taken as the cause.
     */
    public Optional<ConfigEntry> causeOf(CommandLine.ParameterException ex) {
        ConfigEntry direct = ex.getArgSpec() == null ? null : supplied.get(ex.getArgSpec());
        if (direct != null) {
            return Optional.of(direct);
        }
        String message = String.valueOf(ex.getMessage());
        return supplied.values().stream().filter(e -> message.contains("'" + e.value() + "'")).findFirst();
    }

    private Map<OptionSpec, ConfigEntry> entries(CommandSpec root) {
        if (byOption == null) {
            try {
                byOption = resolve(root, source.get());
            } catch (ConfigSyntaxException e) {
                throw new CommandLine.ParameterException(root.commandLine(), e.getMessage());
            }
        }
        return byOption;
    }

    /** Binds each entry to the option it names, refusing keys that name no command or option. */
    static Map<OptionSpec, ConfigEntry> resolve(CommandSpec root, List<ConfigEntry> entries) {
        Map<String, CommandSpec> commands = new LinkedHashMap<>();
        commands.put(root.name(), root);
        root.subcommands().forEach((name, sub) -> commands.put(name, sub.getCommandSpec()));
        Map<OptionSpec, ConfigEntry> bound = new IdentityHashMap<>();
        for (ConfigEntry e : entries) {
            CommandSpec command = commands.get(e.command());
            if (command == null) {
                throw new ConfigSyntaxException(e.file() + " line " + e.line() + ": unknown command '" + e.command()
                        + "' in key '" + e.key() + "' (commands: " + String.join(", ", commands.keySet()) + ")");
            }
            OptionSpec option = find(command, e.option());
            if (option == null) {
                throw new ConfigSyntaxException(e.file() + " line " + e.line() + ": '" + e.command() + "' has no "
                        + "option '" + e.option() + "' (key '" + e.key() + "'; options: "
                        + String.join(", ", configurableNames(command)) + ")");
            }
            if (e.value().isEmpty()) {
                throw new ConfigSyntaxException(e.file() + " line " + e.line() + ": '" + e.key() + "' has no value");
            }
            bound.put(option, e);
        }
        return bound;
    }

    /** The option whose name without its dashes is the key's option part: "O" and "optimize" both find -O. */
    private static OptionSpec find(CommandSpec command, String name) {
        for (OptionSpec o : command.options()) {
            if (configurable(o)) {
                for (String n : o.names()) {
                    if (stripDashes(n).equals(name)) {
                        return o;
                    }
                }
            }
        }
        return null;
    }

    private static List<String> configurableNames(CommandSpec command) {
        List<String> names = new ArrayList<>();
        command.options().stream().filter(ConfigDefaults::configurable)
                .forEach(o -> names.add(stripDashes(o.longestName())));
        return names;
    }

    /** --help and --version make no sense as defaults: every run would print help and stop. */
    private static boolean configurable(OptionSpec o) {
        return !o.usageHelp() && !o.versionHelp() && !o.hidden();
    }

    private static String stripDashes(String name) {
        return name.replaceFirst("^-+", "");
    }
}
