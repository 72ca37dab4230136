package io.mconv.passes;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link PassManager} run: per-pass statistics in pipeline order, node counts and op histograms
 * before and after (the onnx-simplifier style table), iterations to the fixed point, and diagnostics.
 */
public record PassReport(List<PassStats> passes, int iterations, boolean reachedFixedPoint,
                         int nodesBefore, int nodesAfter, Map<String, Integer> opsBefore,
                         Map<String, Integer> opsAfter, List<String> diagnostics) {

    public PassReport {
        passes = List.copyOf(passes);
        diagnostics = List.copyOf(diagnostics);
    }

    public int totalRewrites() {
        return passes.stream().mapToInt(PassStats::rewrites).sum();
    }
}
