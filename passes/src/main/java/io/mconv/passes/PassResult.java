package io.mconv.passes;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run of a pass did: how many rewrites it made (0 means the model is unchanged), notes for the user, and
 * the nodes its rules left alone with their reasons (kept apart so that a whole optimization can report them once,
 * grouped: {@link RuleSkip#summarize}).
 */
public record PassResult(int rewrites, List<String> notes, List<RuleSkip> skips) {

    public PassResult {
        notes = List.copyOf(notes);
        skips = List.copyOf(skips);
    }

    public PassResult(int rewrites, List<String> notes) {
        this(rewrites, notes, List.of());
    }

    public static PassResult unchanged() {
        return new PassResult(0, List.of());
    }

    public static PassResult of(int rewrites) {
        return new PassResult(rewrites, List.of());
    }

    public boolean modified() {
        return rewrites > 0;
    }

    /** The notes, then one line per skip: everything this run has to say, as text. */
    public List<String> diagnostics() {
        List<String> all = new ArrayList<>(notes);
        skips.forEach(s -> all.add(s.toString()));
        return all;
    }
}
