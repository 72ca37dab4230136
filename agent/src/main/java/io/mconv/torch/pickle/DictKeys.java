package io.mconv.torch.pickle;

import io.mconv.limits.Limit;

import io.mconv.torch.archive.PyGlobal;
import io.mconv.torch.archive.PyTuple;

import java.util.ArrayDeque;

/**
 * Checks a dict key before it is hashed. Python only accepts immutable keys (scalars and tuples of them); holding
 * to that keeps Java's recursive {@code hashCode} away from lists, and the depth bound keeps a deeply nested tuple
 * key from overflowing the stack while it is hashed.
 */
final class DictKeys {

    private DictKeys() {
    }

    static void requireHashable(Object key, int maxDepth, long offset) {
        ArrayDeque<Object> pending = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        pending.push(key == null ? DictKeys.class : key);
        depths.push(1);
        while (!pending.isEmpty()) {
            Object k = pending.pop();
            int depth = depths.pop();
            if (depth > maxDepth) {
                throw new PickleException(offset, "dict key nested deeper than " + maxDepth + ": "
                        + Limit.PICKLE_DEPTH.exceeded(maxDepth));
            }
            if (k instanceof PyTuple t) {
                for (Object e : t.elements()) {
                    pending.push(e == null ? DictKeys.class : e);
                    depths.push(depth + 1);
                }
            } else if (!(k == DictKeys.class || k instanceof String || k instanceof Long || k instanceof Double
                    || k instanceof Boolean || k instanceof PyGlobal)) {
                throw new PickleException(offset, "unhashable dict key of type " + PickleText.kindOf(k));
            }
        }
    }
}
