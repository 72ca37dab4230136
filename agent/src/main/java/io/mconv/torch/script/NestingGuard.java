package io.mconv.torch.script;

import io.mconv.limits.Limit;

/**
 * Counts how deep the tree under construction nests and refuses to go past the limit, so that pathological input
 * ({@code ((((...))))} ten thousand deep) ends in a {@link ScriptSyntaxException} instead of a
 * StackOverflowError, in the parser and in every later walk over the tree. One per parse.
 */
final class NestingGuard {

    private final int maxDepth;
    private int depth;

    NestingGuard(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    void enter(Token at) {
        depth++;
        if (depth > maxDepth) {
            throw new ScriptSyntaxException(at.pos(), "nesting deeper than " + maxDepth + " levels: "
                    + Limit.SCRIPT_NESTING_DEPTH.exceeded(maxDepth));
        }
    }

    void leave(int levels) {
        depth -= levels;
    }

    void leave() {
        leave(1);
    }
}
