package io.mconv.passes;

import java.util.List;

/**
 * What one run of a pass did: how many rewrites it made (0 means the model is unchanged) and notes for the user,
 * such as why a candidate was left alone.
 */
public record PassResult(int rewrites, List<String> diagnostics) {

    public PassResult {
        diagnostics = List.copyOf(diagnostics);
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
}
