package io.mconv.cli.completion;

import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The completion scripts of {@code mconv completion}. Bash's comes from picocli's generator; zsh gets the same
 * script, which switches zsh's bash-compatible completion on (bashcompinit) when it finds itself in zsh, so both
 * shells complete from one source that always matches the commands.
 */
public final class CompletionScript {

    private CompletionScript() {
    }

    /** The script for a command line whose options already carry their candidates (OptionValueCandidates). */
    public static String bash(CommandLine commandLine) {
        return """
                # mconv completion for bash. Load it in the current shell with
                #   source <(mconv completion bash)
                # and for every new shell add that line to ~/.bashrc.
                """ + AutoComplete.bash("mconv", commandLine);
    }

    public static String zsh(CommandLine commandLine) {
        return """
                # mconv completion for zsh, through zsh's bash-compatible completion (bashcompinit, enabled below).
                # Load it in the current shell with
                #   source <(mconv completion zsh)
                # and for every new shell add that line to ~/.zshrc, after compinit if you call it there.
                """ + AutoComplete.bash("mconv", commandLine);
    }
}
