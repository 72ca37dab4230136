package io.mconv.torch.script;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;

/**
 * Bounds on what the parser accepts, so that a hostile or broken archive cannot exhaust the stack or the heap.
 *
 * @param maxDepth       how deep the syntax tree may nest (blocks, parentheses, operators, calls, attribute
 *                       chains all count one level each). The parser and any tree walker recurse along it, so
 *                       this also keeps the lowering clear of StackOverflowError.
 * @param maxSourceChars the largest code file accepted, in chars.
 */
public record ParserLimits(int maxDepth, int maxSourceChars) {

    /**
     * Real serialized code nests at most 17 levels deep in the test corpus (torch splits long expressions into
     * temporaries); 200 levels ({@link Limit#SCRIPT_NESTING_DEPTH}) take the parser about 400 KiB of stack, well
     * inside the JVM's default 1 MiB. The largest file of a big traced model is a few MiB ({@link Limit#CODE_SIZE}).
     */
    public static final ParserLimits DEFAULT = of(Limits.defaults());

    /**
     * The parser bounds of one run's limits. A code file was read under {@link Limit#CODE_SIZE} bytes and has at
     * most as many chars, so the same value bounds the chars here (capped at what a Java string holds).
     */
    public static ParserLimits of(Limits limits) {
        return new ParserLimits(limits.getInt(Limit.SCRIPT_NESTING_DEPTH), limits.getInt(Limit.CODE_SIZE));
    }

    public ParserLimits {
        if (maxDepth < 1 || maxSourceChars < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxDepth + ", " + maxSourceChars);
        }
    }
}
