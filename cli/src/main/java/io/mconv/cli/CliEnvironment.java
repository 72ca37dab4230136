package io.mconv.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the command line reads from its surroundings (environment variables and the home folder), passed in rather
 * than read from {@code System.getenv()} where it is used, so tests can give a config file, {@code NO_COLOR} or a
 * history folder without touching the JVM's environment.
 */
public record CliEnvironment(Map<String, String> variables, Path home) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The variable's value, absent when unset or empty (an empty XDG_* or NO_COLOR counts as unset). */
    public Optional<String> variable(String name) {
        String v = variables.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** An XDG base folder: the variable when set to an absolute path (the spec ignores relative ones), else the fallback under home. */
    public Path xdgFolder(String variable, String fallbackUnderHome) {
        return variable(variable).map(Path::of).filter(Path::isAbsolute).orElse(home.resolve(fallbackUnderHome));
    }
}
