package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InspectCommandTest {

    static Path example() {
        return Path.of(System.getProperty("mconv.testdata.dir", "../testdata"), "examples", "tiny_cnn.onnx");
    }

    @Test
    void textReportOfTheBundledExample() {
        CliRun r = CliRun.of("inspect", example().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Parameters  5.42K (5,418)"), r.out());
        assertTrue(r.out().contains("IR version 8, opsets ai.onnx 17"), r.out());
        assertTrue(r.out().matches("(?s).*input\\s+float32\\s+1x3x32x32.*"), r.out());
        assertTrue(r.out().matches("(?s).*Conv\\s+2\\n.*"), r.out());
        assertTrue(r.out().contains("MACs        1.62M (Conv 1.62M, Gemm 320); pooling 8.19K"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void jsonReportHasTheDocumentedKeys() throws Exception {
        CliRun r = CliRun.of("inspect", example().toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.inspect/1", doc.get("schema").asText());
        assertEquals(5418, doc.get("parameters").asLong());
        assertEquals(7, doc.get("nodes").asInt());
        assertEquals(2, doc.get("op_histogram").get("Conv").asInt());
        assertEquals("input", doc.get("inputs").get(0).get("name").asText());
        assertEquals(32, doc.get("inputs").get(0).get("shape").get(3).asInt());
        assertEquals(17, doc.get("opsets").get(0).get("version").asInt());
        assertEquals(1_622_336L, doc.get("macs").asLong(), "MACs from the fixture's torch hooks (Conv + Linear)");
        assertEquals(5418 * 4, doc.get("weight_bytes").get("total").asLong());
    }

    @Test
    void helpAndVersion() {
        CliRun help = CliRun.of("inspect", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Examples:"), help.out());
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("mconv "), version.out());
    }

    @Test
    void missingCommandIsAUsageError() {
        CliRun r = CliRun.of();
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("Missing command"), r.err());
    }
}
