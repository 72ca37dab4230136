package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv prune} through the real entry point, on the generated bert_like and tiny_cnn models. */
class PruneCommandTest {

    @TempDir
    Path dir;

    private static String bert() {
        return Fixtures.generated("bert_like.onnx").toString();
    }

    @Test
    void unstructuredAsJson() throws Exception {
        Path out = dir.resolve("sparse.onnx");
        CliRun r = CliRun.of("prune", bert(), "-o", out.toString(), "--sparsity", "0.5", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.prune/1", doc.get("schema").asText());
        assertEquals("prune-magnitude", doc.get("method").asText());
        assertEquals(0.5, doc.get("sparsity_reached").asDouble(), 0.001);
        assertEquals(12, doc.get("layers_pruned").asInt());
        assertEquals(4, doc.get("skipped").size());
        assertEquals(doc.get("parameters_before").asLong(), doc.get("parameters_after").asLong());
        // half of the 12 MatMul weights (2 layers × (4 × 128·128 + 2 × 128·512)) is zero; embeddings, biases and
        // LayerNormalization parameters are not pruned
        assertEquals(doc.get("parameters_before").asLong() - 2 * (4 * 128 * 128 + 2 * 128 * 512) / 2,
                doc.get("nonzero_parameters_after").asLong());
        assertEquals(Files.size(out), doc.get("output_bytes").asLong());
        double cosine = doc.get("validation").get("worst_cosine").asDouble();
        assertTrue(cosine > 0.9 && cosine < 0.9999, r.out());
        assertEquals(1 - cosine, doc.get("validation").get("accuracy_drop").asDouble(), 1e-12);
        assertTrue(doc.get("validation").get("max_accuracy_drop").isNull());
        assertTrue(doc.get("latency").get("ratio").asDouble() > 0);
    }

    @Test
    void structuredAsTextListsTheLayersLeftAlone() throws Exception {
        Path out = dir.resolve("slim.onnx");
        CliRun r = CliRun.of("prune", bert(), "-o", out.toString(), "--sparsity", "0.5", "--structured");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("method:     prune-channels, sparsity 0.500 asked"), r.out());
        assertTrue(r.out().contains("(2 layers pruned)"), r.out());
        assertTrue(r.out().contains("left alone: 14 layer(s):"), r.out());
        assertTrue(r.out().contains("which mixes the channels"), r.out());
        assertTrue(r.out().matches("(?s).*size: .*\\(0\\.7\\d\\dx\\).*"), r.out());
        assertTrue(Files.size(out) < Files.size(Path.of(bert())));
    }

    @Test
    void accuracyBarExits1AndWritesNothing() {
        Path out = dir.resolve("refused.onnx");
        CliRun r = CliRun.of("prune", bert(), "-o", out.toString(), "--sparsity", "0.5",
                "--max-accuracy-drop", "0.001");
        assertEquals(ExitCodes.CHECK_FAILED, r.exitCode(), r.err());
        assertTrue(r.err().contains("loses more than --max-accuracy-drop 0.001"), r.err());
        assertFalse(Files.exists(out));
        CliRun loose = CliRun.of("prune", bert(), "-o", out.toString(), "--sparsity", "0.5",
                "--max-accuracy-drop", "0.5", "--json");
        assertEquals(0, loose.exitCode(), loose.err());
        assertTrue(Files.exists(out));
    }

    @Test
    void usageErrorsExit2() {
        String out = dir.resolve("x.onnx").toString();
        for (String[] args : new String[][] {
                {"prune", bert(), "-o", out, "--sparsity", "1"},
                {"prune", bert(), "-o", out, "--sparsity", "0"},
                {"prune", bert(), "-o", out, "--sparsity", "half"},
                {"prune", bert(), "-o", out},
                {"prune", bert(), "-o", out, "--sparsity", "0.5", "--max-accuracy-drop", "-1"},
                {"prune", bert(), "-o", bert(), "--sparsity", "0.5"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + ": " + r.err());
        }
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void invalidModelExits3() throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "not a model");
        CliRun r = CliRun.of("prune", bad.toString(), "-o", dir.resolve("o.onnx").toString(), "--sparsity", "0.5");
        assertEquals(ExitCodes.INVALID_INPUT, r.exitCode(), r.err());
        assertFalse(Files.exists(dir.resolve("o.onnx")));
    }
}
