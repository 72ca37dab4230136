package io.mconv.passes.rewrite;

/**
 * The answer of a rule's check: the match to rewrite, or the reason the candidate does not qualify (shown with
 * {@code --verbose}, so "why wasn't my Conv+BN fused?" has an answer).
 *
 * @param <M> the rule's own record of what it matched
 */
public sealed interface Check<M> {

    record Ok<M>(M match) implements Check<M> {
    }

    record Fail<M>(String reason) implements Check<M> {
    }

    static <M> Check<M> ok(M match) {
        return new Ok<>(match);
    }

    static <M> Check<M> fail(String reason) {
        return new Fail<>(reason);
    }
}
