package io.mconv.agent.runtime;

import java.util.Arrays;

/**
 * What comparing two tensors found. Errors are over elements where both sides are finite; a NaN or infinity that
 * does not match its counterpart counts as a mismatch and makes {@code maxAbsError} infinite.
 *
 * @param passed        every element within tolerance and shapes and dtypes equal
 * @param reason        why it failed in one line (dtype/shape mismatch, or the worst element), empty when passed
 * @param elementCount  elements compared (0 when shapes differ)
 * @param mismatches    elements outside tolerance
 * @param maxAbsError   max |actual - expected|
 * @param maxRelError   max |actual - expected| / |expected|; infinite when expected is 0 and actual is not
 * @param worstIndex    multi-dimensional index of the element furthest outside tolerance (relative to what the
 *                      tolerance allows), or of the largest absolute error when all pass; null when nothing was
 *                      compared
 * @param cosineSimilarity of the two tensors as flat vectors over finite elements; 1 when both are all zero,
 *                      NaN for strings
 */
public record ComparisonResult(String name, boolean passed, String reason, Tolerance tolerance, long elementCount,
                               long mismatches, double maxAbsError, double maxRelError, long[] worstIndex,
                               double cosineSimilarity) {

    public ComparisonResult {
        worstIndex = worstIndex == null ? null : worstIndex.clone();
    }

    @Override
    public long[] worstIndex() {
        return worstIndex == null ? null : worstIndex.clone();
    }

    static ComparisonResult structuralFailure(String name, String reason, Tolerance tolerance) {
        return new ComparisonResult(name, false, reason, tolerance, 0, 0, Double.NaN, Double.NaN, null, Double.NaN);
    }

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + name + ": " + mismatches + "/" + elementCount + " mismatches, max abs "
                + maxAbsError + ", max rel " + maxRelError + ", cosine " + cosineSimilarity + ", worst at "
                + Arrays.toString(worstIndex) + " [" + tolerance + "]" + (reason.isEmpty() ? "" : " " + reason);
    }
}
