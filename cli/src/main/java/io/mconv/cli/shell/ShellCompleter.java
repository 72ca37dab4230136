package io.mconv.cli.shell;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion for the shell, read from picocli's model of the commands: the command names, the options of the
 * command being typed, the values of an option that lists them, and file names where a file is expected (only
 * model files for a MODEL argument).
 */
final class ShellCompleter implements Completer {

    private final CommandSpec root;
    private final List<String> shellWords;
    private final Completer anyFile = new Completers.FileNameCompleter();
    private final Completer modelFile = new ModelFileCompleter();

    /** {@code shellWords}: the shell's own commands (exit, quit), offered beside mconv's. */
    ShellCompleter(CommandSpec root, List<String> shellWords) {
        this.root = root;
        this.shellWords = List.copyOf(shellWords);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int current = line.wordIndex();
        String typed = line.word().substring(0, line.wordCursor());
        CommandSpec command = root;
        int first = 0;
        while (first < current && command.subcommands().containsKey(words.get(first))) {
            command = command.subcommands().get(words.get(first)).getCommandSpec();
            first++;
        }
        List<String> before = words.subList(first, current);
        OptionSpec awaiting = optionAwaitingValue(command, before);
        if (awaiting != null) {
            values(awaiting.completionCandidates(), awaiting.type(), false, reader, line, candidates);
        } else if (typed.startsWith("-")) {
            options(command, candidates);
        } else if (command == root) {
            commands(root, candidates);
            shellWords.forEach(w -> candidates.add(new Candidate(w, w, null, "leave the shell", null, null, true)));
        } else if (command.userObject() instanceof CommandLine.HelpCommand) {
            commands(root, candidates);
        } else {
            PositionalParamSpec positional = positionalAt(command, positionalIndex(command, before));
            if (positional != null) {
                values(positional.completionCandidates(), positional.type(),
                        positional.paramLabel().startsWith("MODEL"), reader, line, candidates);
            }
        }
    }

    private static void commands(CommandSpec root, List<Candidate> candidates) {
        root.subcommands().forEach((name, sub) -> {
            String[] description = sub.getCommandSpec().usageMessage().description();
            candidates.add(new Candidate(name, name, null, description.length == 0 ? null : firstSentence(description[0]),
                    null, null, true));
        });
    }

    private static void options(CommandSpec command, List<Candidate> candidates) {
        for (OptionSpec o : command.options()) {
            if (o.hidden()) {
                continue;
            }
            String description = o.description().length == 0 ? null : firstSentence(o.description()[0]);
            for (String name : o.names()) {
                candidates.add(new Candidate(name, name, null, description, null, null, true));
            }
        }
    }

    private void values(Iterable<String> listed, Class<?> type, boolean model, LineReader reader, ParsedLine line,
            List<Candidate> candidates) {
        if (listed != null) {
            listed.forEach(v -> candidates.add(new Candidate(v, v, null, null, null, null, true)));
        } else if (Path.class.isAssignableFrom(type) || File.class.isAssignableFrom(type)) {
            (model ? modelFile : anyFile).complete(reader, line, candidates);
        }
    }

    /** The option just before the cursor when it still needs its value ({@code -O _}, not {@code -O=x} or a flag). */
    private static OptionSpec optionAwaitingValue(CommandSpec command, List<String> before) {
        if (before.isEmpty()) {
            return null;
        }
        OptionSpec o = command.findOption(before.get(before.size() - 1));
        return o != null && o.arity().min() > 0 ? o : null;
    }

    /** How many positional arguments come before the cursor: words that are neither options nor their values. */
    private static int positionalIndex(CommandSpec command, List<String> before) {
        int index = 0;
        for (int i = 0; i < before.size(); i++) {
            String w = before.get(i);
            if (w.startsWith("-") && w.length() > 1) {
                OptionSpec o = command.findOption(w);
                if (o != null && o.arity().min() > 0) {
                    i++;
                }
            } else {
                index++;
            }
        }
        return index;
    }

    private static PositionalParamSpec positionalAt(CommandSpec command, int index) {
        for (PositionalParamSpec p : command.positionalParameters()) {
            if (p.index().contains(index)) {
                return p;
            }
        }
        return null;
    }

    /** Up to the first ". " before a capital letter, so "e.g. input:1x3" does not end the sentence. */
    private static String firstSentence(String text) {
        for (int i = text.indexOf(". "); i >= 0; i = text.indexOf(". ", i + 1)) {
            if (i + 2 < text.length() && Character.isUpperCase(text.charAt(i + 2))) {
                return text.substring(0, i);
            }
        }
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
