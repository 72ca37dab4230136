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

/** {@code mconv quantize} through the real entry point, on the generated bert_like model. */
class QuantizeCommandTest {

    @TempDir
    Path dir;

    private static String bert() {
        return Fixtures.generated("bert_like.onnx").toString();
    }

    @Test
    void dynamicInt8AsJson() throws Exception {
        Path out = dir.resolve("q.onnx");
        CliRun r = CliRun.of("quantize", bert(), "-o", out.toString(), "--reduce-range", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.quantize/1", doc.get("schema").asText());
        assertTrue(doc.get("size_ratio").asDouble() <= 0.27, r.out());
        assertTrue(doc.get("validation").get("worst_cosine").asDouble() >= 0.999, r.out());
        assertEquals(12, doc.get("ops_after").get("MatMulInteger").asInt());
        assertTrue(doc.get("latency").get("ratio").asDouble() > 0);
        assertEquals(Files.size(out), doc.get("output_bytes").asLong());
    }

    @Test
    void fp16ByPrecisionAsText() throws Exception {
        Path out = dir.resolve("h.onnx");
        CliRun r = CliRun.of("quantize", bert(), "-o", out.toString(), "--precision", "16bit");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("plan:      float16, float32 inputs and outputs"), r.out());
        assertTrue(r.out().matches("(?s).*size: .*\\(0\\.5\\d\\dx\\).*"), r.out());
        assertTrue(r.out().contains("cosine "), r.out());
    }

    @Test
    void weightOnlyInt4WithExclusionAndNoValidate() throws Exception {
        Path out = dir.resolve("w.onnx");
        CliRun r = CliRun.of("quantize", bert(), "-o", out.toString(), "--mode", "weight-only", "--block-size", "64",
                "--exclude", "Gather", "--no-validate", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(12, doc.get("ops_after").get("com.microsoft::MatMulNBits").asInt(), r.out());
        assertTrue(doc.get("validation").isNull());
        assertTrue(doc.get("plan").asText().contains("block 64"));
    }

    @Test
    void usageErrors() {
        String out = dir.resolve("x.onnx").toString();
        CliRun calibration = CliRun.of("quantize", bert(), "-o", out, "--calibration", dir.toString());
        assertEquals(ExitCodes.USAGE, calibration.exitCode());
        assertTrue(calibration.err().contains("--calibration is for --mode static"), calibration.err());
        CliRun conv = CliRun.of("quantize", bert(), "-o", out, "--mode", "fp16", "--include-conv");
        assertEquals(ExitCodes.USAGE, conv.exitCode(), conv.err());
        CliRun method = CliRun.of("quantize", bert(), "-o", out, "--mode", "static", "--calibrate", "mse");
        assertEquals(ExitCodes.USAGE, method.exitCode(), method.err());
        CliRun mode = CliRun.of("quantize", bert(), "-o", out, "--mode", "int3");
        assertEquals(ExitCodes.USAGE, mode.exitCode());
        CliRun both = CliRun.of("quantize", bert(), "-o", out, "--symmetric", "--asymmetric");
        assertEquals(ExitCodes.USAGE, both.exitCode());
        CliRun block = CliRun.of("quantize", bert(), "-o", out, "--mode", "weight-only", "--block-size", "24");
        assertEquals(ExitCodes.USAGE, block.exitCode(), block.err());
        CliRun int4dyn = CliRun.of("quantize", bert(), "-o", out, "--weight-type", "int4");
        assertEquals(ExitCodes.USAGE, int4dyn.exitCode(), int4dyn.err());
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void invalidModelExits3() throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "not a model");
        CliRun r = CliRun.of("quantize", bad.toString(), "-o", dir.resolve("o.onnx").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exitCode(), r.err());
    }
}
