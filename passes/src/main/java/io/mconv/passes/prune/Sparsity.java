package io.mconv.passes.prune;

/**
 * The share of a layer's weights (unstructured) or output channels (structured) to remove, strictly between 0 and 1:
 * 0 would change nothing and 1 would remove the layer, so both are refused rather than silently accepted.
 */
public record Sparsity(double value) {

    public Sparsity {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException("sparsity must be strictly between 0 and 1, got " + value);
        }
    }

    /** How many of {@code count} elements to remove: rounded down, so a layer never loses more than asked. */
    public long removedOf(long count) {
        return (long) Math.floor(value * count);
    }
}
