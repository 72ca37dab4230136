package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv quantize --advise} through the real entry point, on the generated bert_like model. */
class QuantizeAdviseCommandTest {

    @TempDir
    Path dir;

    private static String bert() {
        return Fixtures.generated("bert_like.onnx").toString();
    }

    @Test
    void adviceAsJson() throws Exception {
        List<Path> before = listing(Path.of(bert()).getParent());
        CliRun r = CliRun.of("quantize", bert(), "--advise", "--max-accuracy-drop", "0.005", "--input-shape",
                "input_ids:1x16", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.quantize.advice/1", doc.get("schema").asText());
        for (String key : List.of("model", "cpu", "max_accuracy_drop", "accuracy_drop_definition", "threads",
                "latency_rounds", "evaluation_inputs", "warnings", "profile", "sensitivity", "plans",
                "recommendation")) {
            assertTrue(doc.has(key), key + " in " + r.out());
        }
        assertEquals(0.005, doc.get("max_accuracy_drop").asDouble());
        assertTrue(doc.get("profile").get("weight_share").asDouble() > 0.9, r.out());
        assertEquals(14, doc.get("sensitivity").get("quantizable_layers").asInt(), "12 MatMul + 2 Gather");
        assertEquals(12, doc.get("sensitivity").get("layers").size(), "bounded to 12 by default");
        List<String> ids = new ArrayList<>();
        int recommended = 0;
        for (JsonNode p : doc.get("plans")) {
            ids.add(p.get("id").asText());
            for (String key : List.of("size_ratio", "latency_ratio", "cosine", "max_abs_error", "accuracy_drop",
                    "meets_constraint", "reason")) {
                assertTrue(p.has(key), key + " in " + p);
            }
            if (p.get("recommended").asBoolean()) {
                recommended++;
                assertTrue(p.get("meets_constraint").asBoolean());
                assertTrue(p.get("latency_ratio").asDouble() <= 1.0, p.toString());
                assertEquals(p.get("id").asText(), doc.get("recommendation").get("id").asText());
            }
        }
        assertEquals(1, recommended);
        assertTrue(ids.containsAll(List.of("fp32", "dynamic-int8", "static-qdq-int8-pc", "weight-only-int4",
                "fp16")), ids.toString());
        assertEquals(0, r.errLines(), r.err());
        assertEquals(before, listing(Path.of(bert()).getParent()), "--advise writes nothing next to the model");
    }

    private static List<Path> listing(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    @Test
    void adviceAsText() {
        CliRun r = CliRun.of("quantize", bert(), "--advise", "--input-shape", "input_ids:1x16");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("  cpu:        "), r.out());
        assertTrue(r.out().contains("sensitivity (one layer dynamic int8 at a time, worst first"), r.out());
        assertTrue(r.out().contains("recommended: "), r.out());
        assertTrue(r.out().contains("warning: calibrating on seeded random"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("  * ")).count(), r.out());
    }

    @Test
    void usageAndInvalidInput() throws Exception {
        CliRun noOut = CliRun.of("quantize", bert());
        assertEquals(ExitCodes.USAGE, noOut.exitCode());
        assertTrue(noOut.err().contains("--advise"), noOut.err());
        CliRun drop = CliRun.of("quantize", bert(), "--advise", "--max-accuracy-drop", "1.5");
        assertEquals(ExitCodes.USAGE, drop.exitCode(), drop.err());
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "not a model");
        CliRun invalid = CliRun.of("quantize", bad.toString(), "--advise", "--json");
        assertEquals(ExitCodes.INVALID_INPUT, invalid.exitCode(), invalid.err());
        assertFalse(invalid.out().contains("schema"));
    }
}
