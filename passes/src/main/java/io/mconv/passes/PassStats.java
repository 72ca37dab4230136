package io.mconv.passes;

/** What one pass did over a whole optimization: its rewrites, how often it ran, and the time it took. */
public record PassStats(String pass, int rewrites, int runs, long nanos) {

    PassStats plus(PassResult r, long elapsed) {
        return new PassStats(pass, rewrites + r.rewrites(), runs + 1, nanos + elapsed);
    }
}
