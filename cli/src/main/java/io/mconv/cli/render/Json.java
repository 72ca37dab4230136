package io.mconv.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the one JSON document a {@code --json} command prints, tagged with its schema name. */
public final class Json {

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A document that starts with {@code "schema": "mconv.<command>/1"}. */
    public static Map<String, Object> document(String command) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "mconv." + command + "/1");
        return doc;
    }

    public void print(PrintWriter out, Map<String, Object> document) {
        try {
            out.println(mapper.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
        out.flush();
    }
}
