package io.mconv.cli.config;

import java.nio.file.Path;

/** One {@code command.option = value} line of the config file, with where it was written for error messages. */
public record ConfigEntry(Path file, int line, String command, String option, String value) {

    public String key() {
        return command + "." + option;
    }

    /** "FILE line N (key = value)": what an error about this entry points the user at. */
    public String where() {
        return file + " line " + line + " (" + key() + " = " + value + ")";
    }
}
