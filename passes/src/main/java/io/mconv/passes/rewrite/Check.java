package io.mconv.passes.rewrite;

/**
 * The answer of a rule's check: the match to rewrite, or the reason the candidate does not qualify. A near miss (the
 * node is the pattern's root and something specific stops it: shared weights, a non-constant parameter, an opset) is
 * reported with {@code --verbose}, so "why wasn't my Conv+BN fused?" has an answer; a node that is not the pattern at
 * all (a Mul whose input no Conv produces, for the Conv+Mul rule) is not, or every Mul of a transformer would be
 * listed by every rule rooted at Mul.
 *
 * @param <M> the rule's own record of what it matched
 */
public sealed interface Check<M> {

    record Ok<M>(M match) implements Check<M> {
    }

    /** @param nearMiss true when the reason is worth telling the user (see the interface's comment) */
    record Fail<M>(String reason, boolean nearMiss) implements Check<M> {

        /** The same failure as the answer of a check with another match type (a sub-check's answer passed on). */
        public <N> Check<N> as() {
            return new Fail<>(reason, nearMiss);
        }
    }

    /** A near miss: the node is the pattern's root, and {@code reason} says what stops the rewrite. */
    static <M> Check<M> fail(String reason) {
        return new Fail<>(reason, true);
    }

    /** Not the pattern at all: {@code reason} says which part is missing, for tests and debugging only. */
    static <M> Check<M> noMatch(String reason) {
        return new Fail<>(reason, false);
    }

    static <M> Check<M> ok(M match) {
        return new Ok<>(match);
    }
}
