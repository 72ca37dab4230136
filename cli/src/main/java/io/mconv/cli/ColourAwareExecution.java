package io.mconv.cli;

import picocli.CommandLine;

/**
 * Chooses the help colours after parsing, when --no-color is known: picocli's own choice only looks at the
 * console, not at NO_COLOR, --no-color or TERM=dumb, so help and the rest of mconv could disagree.
 */
final class ColourAwareExecution implements CommandLine.IExecutionStrategy {

    private final CommandLine.IExecutionStrategy next;

    ColourAwareExecution(CommandLine.IExecutionStrategy next) {
        this.next = next;
    }

    @Override
    public int execute(CommandLine.ParseResult parseResult) {
        CommandLine root = parseResult.commandSpec().root().commandLine();
        boolean colour = MconvCommand.terminal(parseResult.commandSpec(), false).out().colour();
        root.setColorScheme(CommandLine.Help.defaultColorScheme(colour ? CommandLine.Help.Ansi.ON
                : CommandLine.Help.Ansi.OFF));
        return next.execute(parseResult);
    }
}
