package io.mconv.agent.pipeline.workflow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a workflow file ({@code .json}, or {@code .yaml}/{@code .yml} with the same structure) into the
 * {@link Workflow} it declares. Every step is checked before any runs, so a typo in the last step does not surface
 * after the first one has spent minutes converting.
 *
 * <pre>
 * {"schema": "mconv.workflow/1",
 *  "defaults": {"optimize": "basic"},
 *  "continue_on_error": false,
 *  "steps": [{"source": "m.pt", "output": "out/m.onnx", "quantize": "int8", "input_shape": ["x:1x3x8x8"]}]}
 * </pre>
 */
public final class WorkflowFile {

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("schema", "defaults", "steps", "continue_on_error");

    private final String version;

    /** @param version mconv's version, part of every request (cache keys, provenance) */
    public WorkflowFile(String version) {
        this.version = version;
    }

    /** @throws WorkflowException for a file that is missing, not JSON/YAML, or not a workflow mconv can run */
    public Workflow read(Path file) throws IOException {
        JsonNode doc = tree(file);
        if (!doc.isObject()) {
            throw new WorkflowException(file, "", "expected an object with 'schema' and 'steps', got "
                    + StepKeys.describe(doc));
        }
        refuseUnknownKeys(file, doc, "", TOP_LEVEL_KEYS);
        JsonNode schema = doc.get("schema");
        if (schema == null || !schema.isTextual() || !schema.asText().equals(Workflow.SCHEMA)) {
            throw new WorkflowException(file, "/schema", "expected \"" + Workflow.SCHEMA + "\", got "
                    + (schema == null ? "nothing" : StepKeys.describe(schema)));
        }
        JsonNode defaults = doc.get("defaults");
        if (defaults != null && !defaults.isObject()) {
            throw new WorkflowException(file, "/defaults", "expected an object, got " + StepKeys.describe(defaults));
        }
        if (defaults != null) {
            refuseUnknownKeys(file, defaults, "/defaults", StepParser.SHARED_KEYS);
        }
        JsonNode continueOnError = doc.get("continue_on_error");
        if (continueOnError != null && !continueOnError.isBoolean()) {
            throw new WorkflowException(file, "/continue_on_error", "expected true or false, got "
                    + StepKeys.describe(continueOnError));
        }
        JsonNode steps = doc.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw new WorkflowException(file, "/steps", "expected a non-empty list of steps, got "
                    + (steps == null ? "nothing" : StepKeys.describe(steps)));
        }
        Set<String> stepKeys = new HashSet<>(StepParser.SHARED_KEYS);
        stepKeys.addAll(StepParser.STEP_ONLY_KEYS);
        StepParser parser = new StepParser(version);
        List<WorkflowStep> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String at = "/steps/" + i;
            JsonNode step = steps.get(i);
            if (!step.isObject()) {
                throw new WorkflowException(file, at, "expected an object, got " + StepKeys.describe(step));
            }
            refuseUnknownKeys(file, step, at, stepKeys);
            StepKeys keys = new StepKeys(file, at);
            if (defaults != null) {
                keys.addAll(defaults, "/defaults");
            }
            keys.addAll(step, at);
            out.add(parser.parse(i, keys));
        }
        return new Workflow(file, out, continueOnError != null && continueOnError.asBoolean());
    }

    private static JsonNode tree(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
        try {
            JsonNode doc = mapper.readTree(Files.readString(file));
            if (doc == null || doc.isMissingNode()) {
                throw new WorkflowException(file, "", "the file is empty");
            }
            return doc;
        } catch (NoSuchFileException e) {
            throw new WorkflowException(file, "", "no such workflow file");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new WorkflowException(file, "", "not valid " + (mapper instanceof YAMLMapper ? "YAML" : "JSON")
                    + where + ": " + e.getOriginalMessage());
        }
    }

    private static void refuseUnknownKeys(Path file, JsonNode object, String at, Set<String> known) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String hint = at.equals("/defaults") && StepParser.STEP_ONLY_KEYS.contains(key)
                        ? " ('" + key + "' names one step's file: give it in each step)" : "";
                throw new WorkflowException(file, at + "/" + StepKeys.escape(key), "unknown key '" + key + "'"
                        + hint + " (accepted: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }
}
