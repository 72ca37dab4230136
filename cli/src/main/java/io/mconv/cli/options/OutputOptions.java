package io.mconv.cli.options;

import picocli.CommandLine.Option;

/** Options every command shares: machine-readable output and verbosity. */
public final class OutputOptions {

    @Option(names = "--json", description = "Print one JSON document on standard output (messages go to standard error).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show more detail, and stack traces on errors.")
    boolean verbose;

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }
}
