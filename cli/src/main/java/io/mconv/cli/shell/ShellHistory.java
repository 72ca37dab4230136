package io.mconv.cli.shell;

import io.mconv.cli.CliEnvironment;
import java.nio.file.Path;

/** Where the shell keeps its history: state, in XDG terms ($XDG_STATE_HOME, else ~/.local/state). */
public final class ShellHistory {

    private ShellHistory() {
    }

    public static Path location(CliEnvironment env) {
        return env.xdgFolder("XDG_STATE_HOME", ".local/state").resolve("mconv").resolve("history");
    }
}
