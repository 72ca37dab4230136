package io.mconv.agent.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mconv.provenance} metadata entry of a converted model: the mconv version, the source file's name and
 * SHA-256, the steps with their options, and the validation results, as one JSON string. Nothing in it depends on
 * the time or the folder of the run, so two identical runs write identical files.
 */
public final class Provenance {

    public static final String KEY = "mconv.provenance";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Provenance() {
    }

    public static String of(Plan plan, PlanRun run, String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mconv_version", version);
        // LinkedHashMaps throughout: Map.of's iteration order changes from one JVM to the next, and two identical
        // runs must write identical files
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("file", plan.source().getFileName().toString());
        source.put("sha256", run.sourceSha256());
        source.put("kind", plan.sourceKind());
        doc.put("source", source);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Tool t : plan.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", t.name());
            s.put("type", t.category().spelling());
            s.put("options", t.options());
            steps.add(s);
        }
        doc.put("steps", steps);
        for (StepResult r : run.steps()) {
            if (r.kind() == StepKind.VALIDATE) {
                doc.put("validation", r.figures());
            }
        }
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provenance of plain maps always serializes", e);
        }
    }
}
