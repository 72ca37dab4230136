package io.mconv.torch.pickle;

/**
 * Bounds that keep a hostile pickle from exhausting memory or the Java stack.
 *
 * @param maxDepth   deepest nesting of containers (lists, dicts, tuples, objects) and of open MARKs; TorchScript
 *                   module trees are a few dozen levels deep
 * @param maxObjects values created in total (each pushed value counts), bounding the heap the result can take
 */
public record PickleLimits(int maxDepth, long maxObjects) {

    /** 1000 levels, 10 million values: far above what torch writes, far below what breaks a 512 MB heap. */
    public static final PickleLimits DEFAULT = new PickleLimits(1000, 10_000_000L);

    public PickleLimits {
        if (maxDepth < 1 || maxObjects < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
