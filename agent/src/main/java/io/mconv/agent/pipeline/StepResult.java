package io.mconv.agent.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A finished step as the report shows it.
 *
 * @param name        the tool's name
 * @param kind        its category
 * @param key         the step's cache key (its input's key, its options and the mconv version, hashed)
 * @param artifact    the model it produced (in the cache or the scratch folder), null for measuring steps
 * @param millis      how long the step ran when it was computed (a cache hit costs next to nothing; see cached)
 * @param cached      whether this run took the result from the cache
 * @param figures     the step's measurements
 * @param diagnostics its findings
 */
public record StepResult(String name, StepKind kind, String key, Path artifact, double millis, boolean cached,
                         Map<String, Object> figures, List<Diagnostic> diagnostics) {

    public StepResult {
        // insertion order is the report's order, and a figure may be null (a NaN has no JSON form)
        figures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(figures));
        diagnostics = List.copyOf(diagnostics);
    }
}
