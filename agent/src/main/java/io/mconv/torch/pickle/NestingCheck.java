package io.mconv.torch.pickle;

import io.mconv.limits.Limit;

import io.mconv.torch.archive.PyGlobal;
import io.mconv.torch.archive.PyTuple;
import io.mconv.torch.archive.ScriptObject;
import io.mconv.torch.archive.TorchTensor;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a finished value before anyone walks it: no container nested deeper than the limit (code that recurses
 * over the value then cannot overflow the stack), no cycles (a list that contains itself would make any walk
 * endless), and only types of the value model (an intermediate such as a bare storage must not leak out). Shared
 * references are fine and are visited once, so a "billion laughs" pickle costs linear time.
 */
final class NestingCheck {

    private NestingCheck() {
    }

    private static final class Frame {
        final Object node;
        final Iterator<?> children;
        int height;

        Frame(Object node, Iterator<?> children) {
            this.node = node;
            this.children = children;
        }
    }

    static void check(Object root, int maxDepth, long offset) {
        // Height (levels below and including a node) of every finished container; absent while on the path.
        IdentityHashMap<Object, Integer> finished = new IdentityHashMap<>();
        IdentityHashMap<Object, Boolean> onPath = new IdentityHashMap<>();
        ArrayDeque<Frame> path = new ArrayDeque<>();
        Iterator<?> top = childrenOf(root, offset);
        if (top == null) {
            return;
        }
        path.push(new Frame(root, top));
        onPath.put(root, Boolean.TRUE);
        while (!path.isEmpty()) {
            Frame frame = path.peek();
            if (!frame.children.hasNext()) {
                path.pop();
                onPath.remove(frame.node);
                int height = frame.height + 1;
                finished.put(frame.node, height);
                if (!path.isEmpty()) {
                    path.peek().height = Math.max(path.peek().height, height);
                }
                continue;
            }
            Object child = frame.children.next();
            if (onPath.containsKey(child)) {
                throw new PickleException(offset, "a " + PickleText.kindOf(child) + " contains itself (cyclic "
                        + "reference)");
            }
            Integer done = finished.get(child);
            if (done != null) {
                frame.height = Math.max(frame.height, done);
                if (path.size() + done > maxDepth) {
                    throw tooDeep(maxDepth, offset);
                }
                continue;
            }
            Iterator<?> grandChildren = childrenOf(child, offset);
            if (grandChildren == null) {
                continue;
            }
            if (path.size() + 1 > maxDepth) {
                throw tooDeep(maxDepth, offset);
            }
            path.push(new Frame(child, grandChildren));
            onPath.put(child, Boolean.TRUE);
        }
    }

    private static PickleException tooDeep(int maxDepth, long offset) {
        return new PickleException(offset, "values nested deeper than " + maxDepth + " levels: "
                + Limit.PICKLE_DEPTH.exceeded(maxDepth));
    }

    /** The children of a container, null for a leaf; refuses types outside the value model. */
    private static Iterator<?> childrenOf(Object value, long offset) {
        if (value instanceof List<?> list) {
            return list.iterator();
        }
        if (value instanceof PyTuple t) {
            return t.elements().iterator();
        }
        if (value instanceof Map<?, ?> map) {
            return entriesOf(map).iterator();
        }
        if (value instanceof ScriptObject o) {
            return o.attributes().values().iterator();
        }
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String || value instanceof byte[] || value instanceof TorchTensor
                || value instanceof PyGlobal) {
            return null;
        }
        throw new PickleException(offset, "a " + PickleText.kindOf(value) + " cannot appear in the result");
    }

    private static Collection<Object> entriesOf(Map<?, ?> map) {
        java.util.ArrayList<Object> all = new java.util.ArrayList<>(map.size() * 2);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            all.add(e.getKey());
            all.add(e.getValue());
        }
        return all;
    }
}
