package io.mconv.torch.script;

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
     * temporaries); 200 levels take the parser about 400 KiB of stack, well inside the JVM's default 1 MiB. The
     * largest file of a big traced model is a few MiB.
     */
    public static final ParserLimits DEFAULT = new ParserLimits(200, 64 * 1024 * 1024);

    public ParserLimits {
        if (maxDepth < 1 || maxSourceChars < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxDepth + ", " + maxSourceChars);
        }
    }
}
