package io.mconv.passes.opset;

/** The conversion's direction and extent: from the model's opset to the target. */
record Span(int from, int to) {

    boolean up() {
        return to > from;
    }

    /** True when the operator definition introduced at {@code version} is entered or left by this conversion. */
    boolean crosses(int version) {
        return Math.min(from, to) < version && version <= Math.max(from, to);
    }

    /** Crossing {@code version} upwards: the node is in the older form and must take the newer one. */
    boolean raisesPast(int version) {
        return up() && crosses(version);
    }

    /** Crossing {@code version} downwards: the node is in the newer form and must take the older one. */
    boolean lowersPast(int version) {
        return !up() && crosses(version);
    }
}
