package io.mconv.torch.archive;

import java.util.List;

/** A Python tuple from a pickle (lists are {@code List<Object>}, tuples this record so the two stay apart). */
public record PyTuple(List<Object> elements) {

    public PyTuple {
        elements = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(elements));
    }

    public Object get(int i) {
        return elements.get(i);
    }

    public int size() {
        return elements.size();
    }
}
