package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv optimize} and {@code mconv passes} through the real entry point. */
class OptimizeCommandTest {

    @TempDir
    Path dir;

    @Test
    void optimizesValidatesAndReportsAsJson() throws Exception {
        Path out = dir.resolve("opt.onnx");
        CliRun r = CliRun.of("optimize", InspectCommandTest.example().toString(), "-o", out.toString(), "-O",
                "aggressive", "--verify-each", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.optimize/1", doc.get("schema").asText());
        assertTrue(doc.get("validation").get("passed").asBoolean());
        assertTrue(doc.get("fixed_point").asBoolean());
        assertTrue(doc.get("nodes_after").asInt() <= doc.get("nodes_before").asInt());
        assertTrue(doc.get("passes").size() >= 1);
        assertTrue(doc.get("passes").findValuesAsText("name").contains("eliminate-dead-code"));
        assertTrue(Files.exists(out));
        CliRun text = CliRun.of("optimize", InspectCommandTest.example().toString(), "-o", dir.resolve("t.onnx")
                .toString());
        assertTrue(text.out().contains("outputs match the original"), text.out());
        assertTrue(text.out().matches("(?s).*op\\s+before\\s+after.*Conv\\s+2\\s+\\d+.*"), text.out());
    }

    @Test
    void passesListsEveryPassInOrder() throws Exception {
        CliRun r = CliRun.of("passes", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.passes/1", doc.get("schema").asText());
        assertTrue(doc.get("passes").findValuesAsText("name").contains("eliminate-dead-code"));
        CliRun text = CliRun.of("passes");
        assertTrue(text.out().startsWith("PASS"), text.out());
    }

    @Test
    void usageErrors() {
        String model = InspectCommandTest.example().toString();
        String out = dir.resolve("o.onnx").toString();
        CliRun unknownPass = CliRun.of("optimize", model, "-o", out, "--passes", "make-it-fast");
        assertEquals(ExitCodes.USAGE, unknownPass.exitCode(), unknownPass.err());
        assertTrue(unknownPass.err().contains("unknown pass 'make-it-fast' (known: "), unknownPass.err());
        CliRun level = CliRun.of("optimize", model, "-o", out, "-O", "extreme");
        assertEquals(ExitCodes.USAGE, level.exitCode());
        assertTrue(level.err().contains("unknown optimization level 'extreme' (accepted: none, basic, aggressive)"),
                level.err());
        CliRun target = CliRun.of("optimize", model, "-o", out, "--target", "tpu");
        assertEquals(ExitCodes.USAGE, target.exitCode());
        assertTrue(target.err().contains("unknown target 'tpu' (accepted: portable, ort)"), target.err());
        CliRun lower = CliRun.of("optimize", model, "-o", out, "--opset", "11");
        assertEquals(ExitCodes.USAGE, lower.exitCode(), lower.err());
        assertTrue(lower.err().contains("--opset 11 is below the model's opset 17"), lower.err());
        CliRun same = CliRun.of("optimize", model, "-o", model);
        assertEquals(ExitCodes.USAGE, same.exitCode());
        CliRun noOut = CliRun.of("optimize", model);
        assertEquals(ExitCodes.USAGE, noOut.exitCode());
        assertFalse(Files.exists(Path.of(out)));
    }
}
