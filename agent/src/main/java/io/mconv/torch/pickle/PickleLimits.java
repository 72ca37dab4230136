package io.mconv.torch.pickle;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;

/**
 * Bounds that keep a hostile pickle from exhausting memory or the Java stack.
 *
 * @param maxDepth   deepest nesting of containers (lists, dicts, tuples, objects) and of open MARKs; TorchScript
 *                   module trees are a few dozen levels deep
 * @param maxObjects values created in total (each pushed value counts), bounding the heap the result can take
 */
public record PickleLimits(int maxDepth, long maxObjects) {

    /**
     * {@link Limit#PICKLE_DEPTH} and {@link Limit#PICKLE_OBJECTS} at their defaults, 1000 levels and 10 million
     * values: far above what torch writes, far below what breaks a 512 MB heap.
     */
    public static final PickleLimits DEFAULT = of(Limits.defaults());

    /** The pickle bounds of one run's limits. */
    public static PickleLimits of(Limits limits) {
        return new PickleLimits(limits.getInt(Limit.PICKLE_DEPTH), limits.get(Limit.PICKLE_OBJECTS));
    }

    public PickleLimits {
        if (maxDepth < 1 || maxObjects < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
