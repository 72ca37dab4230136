package io.mconv.agent.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a tool returns: its artifact (the model file it wrote, or null), its figures (JSON-friendly values: numbers,
 * strings, booleans, lists and maps of them, so they can be cached and reported as they are) and its diagnostics.
 */
public record StepOutcome(Path artifact, Map<String, Object> figures, List<Diagnostic> diagnostics) {

    public StepOutcome {
        // insertion order is the report's order, and a figure may be null (a NaN has no JSON form)
        figures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(figures));
        diagnostics = List.copyOf(diagnostics);
    }
}
