package io.mconv.cli.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.agent.pipeline.Provenance;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How {@code mconv inspect} shows the {@code mconv.provenance} metadata a planned conversion wrote: parsed, as the
 * JSON key {@code provenance}, and as a short text section (version, source hash, steps, validation).
 */
final class ProvenanceView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProvenanceView() {
    }

    /** The parsed provenance, or null when the model has none or it is not a JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, String> metadata) {
        String raw = metadata.get(Provenance.KEY);
        if (raw == null) {
            return null;
        }
        try {
            return JSON.readValue(raw, Map.class);
        } catch (IOException e) {
            return null; // written by something else; the raw text is still under metadata
        }
    }

    @SuppressWarnings("unchecked")
    static void text(Map<String, Object> p, PrintWriter out) {
        out.println();
        out.println("Provenance");
        out.printf("  mconv    %s%n", p.get("mconv_version"));
        if (p.get("source") instanceof Map<?, ?> source) {
            out.printf("  source   %s (sha256 %s)%n", source.get("file"), source.get("sha256"));
        }
        if (p.get("steps") instanceof List<?> steps) {
            out.printf("  steps    %s%n", steps.stream().map(s -> String.valueOf(((Map<String, Object>) s).get("name")))
                    .collect(Collectors.joining(" -> ")));
        }
        if (p.get("validation") instanceof Map<?, ?> v) {
            out.printf(Locale.ROOT, "  validated: %s, accuracy drop %s (%s)%n", v.get("passed"), v.get("accuracy_drop"),
                    v.get("criterion"));
        }
    }
}
