package io.mconv.agent.pipeline.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One step's keys, the step's own over the workflow's {@code defaults}, each remembering the JSON pointer it came
 * from, so that a wrong type or value is reported where the user wrote it. Typed reads only: what a value means
 * is {@link StepParser}'s business.
 */
final class StepKeys {

    private record Located(String pointer, JsonNode value) {
    }

    private final Path file;
    private final String stepPointer;
    private final Path folder;
    private final Map<String, Located> keys = new LinkedHashMap<>();

    /** @param stepPointer the step's own pointer, where a missing key is reported ({@code /steps/3}) */
    StepKeys(Path file, String stepPointer) {
        this.file = file;
        this.stepPointer = stepPointer;
        Path parent = file.toAbsolutePath().getParent();
        this.folder = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    /** Adds (or overrides) the keys of one object found at {@code pointer}. */
    void addAll(JsonNode object, String pointer) {
        object.fields().forEachRemaining(e -> keys.put(e.getKey(),
                new Located(pointer + "/" + escape(e.getKey()), e.getValue())));
    }

    boolean has(String key) {
        return keys.containsKey(key) && !keys.get(key).value().isNull();
    }

    String pointer(String key) {
        Located l = keys.get(key);
        return l == null ? stepPointer + "/" + escape(key) : l.pointer();
    }

    String text(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode v = keys.get(key).value();
        if (!v.isTextual()) {
            throw wrongType(key, "a string");
        }
        return v.asText();
    }

    /** A string, or a size / time written as a bare number (YAML and JSON both make {@code 50MB} a string). */
    String textOrNumber(String key) {
        if (has(key) && keys.get(key).value().isNumber()) {
            return keys.get(key).value().asText();
        }
        return text(key);
    }

    /** A list of strings; one string is a list of one, as a repeatable option given once. */
    List<String> texts(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode v = keys.get(key).value();
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw wrongType(key, "a string or a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new WorkflowException(file, pointer(key) + "/" + i, "expected a string, got "
                        + describe(v.get(i)));
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    Double number(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode v = keys.get(key).value();
        if (!v.isNumber()) {
            throw wrongType(key, "a number");
        }
        return v.asDouble();
    }

    Integer integer(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode v = keys.get(key).value();
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(key, "a whole number");
        }
        return v.asInt();
    }

    boolean bool(String key, boolean absent) {
        if (!has(key)) {
            return absent;
        }
        JsonNode v = keys.get(key).value();
        if (!v.isBoolean()) {
            throw wrongType(key, "true or false");
        }
        return v.asBoolean();
    }

    /** A path, relative ones against the workflow file's folder (so the file runs from any working directory). */
    Path path(String key) {
        String t = text(key);
        if (t == null) {
            return null;
        }
        if (t.isBlank()) {
            throw new WorkflowException(file, pointer(key), "the path is empty");
        }
        return folder.resolve(t).normalize();
    }

    /** Parses a present value with one of the shared option parsers, turning its refusal into a pointed error. */
    <T> T parsed(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
        }
    }

    WorkflowException invalid(String key, String why) {
        return new WorkflowException(file, pointer(key), why);
    }

    private WorkflowException wrongType(String key, String expected) {
        return invalid(key, "expected " + expected + ", got " + describe(keys.get(key).value()));
    }

    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + v.asText() + "\"";
        }
        if (v.isContainerNode()) {
            return v.isArray() ? "a list" : "an object";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }

    /** RFC 6901: '~' and '/' in a key are escaped in a pointer. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
