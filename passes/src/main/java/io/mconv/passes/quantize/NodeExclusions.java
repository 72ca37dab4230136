package io.mconv.passes.quantize;

import io.mconv.ir.Node;
import java.util.List;
import java.util.Set;

/**
 * The nodes a user keeps out of quantization ({@code --exclude}): an entry matches a node by its name or by its
 * operator type, exactly (names and op types are both case-sensitive in ONNX).
 */
public record NodeExclusions(Set<String> entries) {

    public NodeExclusions {
        entries = Set.copyOf(entries);
    }

    public static NodeExclusions none() {
        return new NodeExclusions(Set.of());
    }

    public static NodeExclusions of(List<String> entries) {
        return new NodeExclusions(Set.copyOf(entries));
    }

    public boolean excludes(Node node) {
        return entries.contains(node.opType()) || (node.name() != null && entries.contains(node.name()));
    }
}
