package io.mconv.cli.config;

import io.mconv.cli.CliEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the user's defaults: {@code key = value} lines whose keys are {@code command.option}
 * ({@code optimize.O = aggressive}); blank lines and lines starting with # or ! are comments. It is read line by
 * line rather than with {@link java.util.Properties} so that every error can name its line.
 */
public final class ConfigFile {

    private ConfigFile() {
    }

    /**
     * Where the defaults live: {@code $MCONV_CONFIG} when set, else {@code $XDG_CONFIG_HOME/mconv/config}, else
     * {@code ~/.config/mconv/config}. The second of the pair says whether the user named the file explicitly, in
     * which case a missing file is an error rather than "no defaults".
     */
    public static Location locate(CliEnvironment env) {
        Optional<String> explicit = env.variable("MCONV_CONFIG");
        if (explicit.isPresent()) {
            return new Location(Path.of(explicit.get()), true);
        }
        return new Location(env.xdgFolder("XDG_CONFIG_HOME", ".config").resolve("mconv").resolve("config"), false);
    }

    /** A config file path and whether it was named by MCONV_CONFIG. */
    public record Location(Path path, boolean explicit) {
    }

    /** The entries of the file at the location; none when the default file does not exist. */
    public static List<ConfigEntry> read(Location location) {
        List<String> lines;
        try {
            lines = Files.readAllLines(location.path(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (location.explicit()) {
                throw new ConfigSyntaxException("config file " + location.path() + " (named by MCONV_CONFIG) does "
                        + "not exist");
            }
            return List.of();
        } catch (IOException e) {
            throw new ConfigSyntaxException("cannot read config file " + location.path() + ": " + e.getMessage());
        }
        return parse(location.path(), lines);
    }

    static List<ConfigEntry> parse(Path file, List<String> lines) {
        List<ConfigEntry> entries = new ArrayList<>();
        Map<String, Integer> firstLineOfKey = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ConfigSyntaxException(file + " line " + lineNo + ": expected 'command.option = value', "
                        + "got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            int dot = key.indexOf('.');
            if (dot <= 0 || dot == key.length() - 1) {
                throw new ConfigSyntaxException(file + " line " + lineNo + ": key '" + key + "' is not "
                        + "'command.option' (e.g. optimize.O = aggressive, profile.threads = 4)");
            }
            Integer earlier = firstLineOfKey.putIfAbsent(key, lineNo);
            if (earlier != null) {
                throw new ConfigSyntaxException(file + " line " + lineNo + ": '" + key + "' is already set on line "
                        + earlier);
            }
            entries.add(new ConfigEntry(file, lineNo, key.substring(0, dot), key.substring(dot + 1), value));
        }
        return entries;
    }
}
