package io.mconv.passes;

/** What one pass did over a whole optimization: rewrites, runs, time, and node counts around its first run. */
public record PassStats(String pass, int rewrites, int runs, long nanos) {

    PassStats plus(PassResult r, long elapsed) {
        return new PassStats(pass, rewrites + r.rewrites(), runs + 1, nanos + elapsed);
    }
}
