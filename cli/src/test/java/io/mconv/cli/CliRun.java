package io.mconv.cli;

import io.mconv.cli.render.TtyProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real {@code mconv} entry point in-process and captures exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return run(MconvCommand.commandLine(), args);
    }

    /** With given surroundings (config file, NO_COLOR, ...) instead of this JVM's; streams are not terminals. */
    static CliRun in(CliEnvironment environment, String... args) {
        return run(MconvCommand.commandLine(environment, TtyProbe.fixed(false, false)), args);
    }

    private static CliRun run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The stderr lines that are not blank. */
    long errLines() {
        return err.lines().filter(l -> !l.isBlank()).count();
    }
}
