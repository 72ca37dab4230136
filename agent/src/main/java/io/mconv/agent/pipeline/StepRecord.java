package io.mconv.agent.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A step's {@code step.json} in the cache: what it measured and found, so a cache hit reports the same figures as
 * the run that computed them.
 */
final class StepRecord {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StepRecord() {
    }

    static void write(Path dir, String name, StepKind kind, double millis, StepOutcome outcome) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", name);
        doc.put("kind", kind.name());
        doc.put("millis", millis);
        doc.put("figures", outcome.figures());
        List<Map<String, String>> diagnostics = new ArrayList<>();
        for (Diagnostic d : outcome.diagnostics()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("severity", d.severity());
            m.put("code", d.code());
            m.put("message", d.message());
            diagnostics.add(m);
        }
        doc.put("diagnostics", diagnostics);
        JSON.writeValue(dir.resolve(ArtifactCache.RECORD).toFile(), doc);
    }

    /** The cached step as a result of this run; its artifact is the entry's model when the step makes one. */
    @SuppressWarnings("unchecked")
    static StepResult read(Path entry, String key, boolean producesModel) throws IOException {
        Map<String, Object> doc = JSON.readValue(Files.readAllBytes(entry.resolve(ArtifactCache.RECORD)), Map.class);
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Map<String, String> d : (List<Map<String, String>>) doc.get("diagnostics")) {
            diagnostics.add(new Diagnostic(d.get("severity"), d.get("code"), d.get("message")));
        }
        return new StepResult((String) doc.get("name"), StepKind.valueOf((String) doc.get("kind")), key,
                producesModel ? entry.resolve(ArtifactCache.ARTIFACT) : null,
                ((Number) doc.get("millis")).doubleValue(), true, (Map<String, Object>) doc.get("figures"),
                diagnostics);
    }
}
