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

    /** Two runs one after the other as one report: statistics added, "before" from the first, "after" from the second. */
    public static PassReport concat(PassReport first, PassReport second) {
        java.util.Map<String, PassStats> stats = new java.util.LinkedHashMap<>();
        for (PassStats s : first.passes) {
            stats.put(s.pass(), s);
        }
        for (PassStats s : second.passes) {
            PassStats a = stats.get(s.pass());
            stats.put(s.pass(), a == null ? s : new PassStats(s.pass(), a.rewrites() + s.rewrites(), a.runs() + s.runs(),
                    a.nanos() + s.nanos()));
        }
        List<String> diagnostics = new java.util.ArrayList<>(first.diagnostics);
        diagnostics.addAll(second.diagnostics);
        return new PassReport(List.copyOf(stats.values()), first.iterations + second.iterations,
                second.reachedFixedPoint, first.nodesBefore, second.nodesAfter, first.opsBefore, second.opsAfter,
                diagnostics);
    }

    public int totalRewrites() {
        return passes.stream().mapToInt(PassStats::rewrites).sum();
    }
}
