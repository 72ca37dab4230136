package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv convert model.pt --to onnx}, through the real entry point. */
class ConvertTorchScriptCommandTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return Fixtures.testdata().resolve("torch").resolve(name);
    }

    private Path copy(String name) throws Exception {
        Path p = dir.resolve(Path.of(name).getFileName());
        Files.copy(fixture(name), p);
        return p;
    }

    @Test
    void exportsValidatesAgainstLibtorchAndWrites() throws Exception {
        Path src = copy("traced_cnn.pt");
        byte[] before = Files.readAllBytes(src);
        Path out = dir.resolve("cnn.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(),
                "--input-shape", "x:1x3x8x8", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.convert/1", doc.get("schema").asText());
        assertEquals("torchscript", doc.get("source_format").asText());
        assertEquals(17, doc.get("opset").asInt());
        assertTrue(doc.get("validation").get("passed").asBoolean(), r.out());
        assertTrue(doc.get("validation").get("reference").asText().contains("libtorch"), r.out());
        assertTrue(doc.get("validation").get("outputs").get(0).get("max_abs_error").asDouble() < 1e-4);
        Onnx.ModelProto written = Onnx.ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals("x", written.getGraph().getInput(0).getName());
        assertEquals(17, written.getOpsetImport(0).getVersion());
        assertTrue(written.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Conv")));
        assertEquals(List.of(), written.getGraph().getNodeList().stream().map(Onnx.NodeProto::getOpType)
                .filter(op -> op.equals("BatchNormalization")).toList(), "BatchNorm folded into the conv");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(before)),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(src))));
    }

    @Test
    void opsetAndDynamicAxesAreHonoured() throws Exception {
        Path src = copy("traced_cnn.pt");
        Path out = dir.resolve("dyn.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--input-shape",
                "x:1x3x8x8", "--dynamic-axes", "x:0=batch", "--opset", "13", "--no-validate");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("opset 13"), r.out());
        Onnx.ModelProto written = Onnx.ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals(13, written.getOpsetImport(0).getVersion());
        assertEquals("batch", written.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0)
                .getDimParam());
    }

    /** Fuzz finding (OptionValuesFuzzTest dynamicAxes seed03): an axis past int range was a NumberFormatException, exit 4. */
    @Test
    void anAxisTooLargeForAnIntIsAUsageError() throws Exception {
        Path src = copy("traced_cnn.pt");
        Path out = dir.resolve("big_axis.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--input-shape",
                "x:1x3x8x8", "--dynamic-axes", "x:99999999999=batch", "--no-validate");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("invalid --dynamic-axes 'x:99999999999=batch'"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void everyUnsupportedOperatorIsListedWithItsSourceLine() throws Exception {
        Path src = copy("export/unsupported_ops.pt");
        Path out = dir.resolve("u.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--input-shape",
                "x:2x4x4");
        assertEquals(3, r.exitCode(), r.err());
        String[] lines = r.err().split("\n");
        assertTrue(lines[0].contains(src.toString()) && lines[0].contains("2 unsupported operators at opset 17"),
                r.err());
        assertTrue(r.err().contains("aten::linalg_det") && r.err().contains("torch.linalg_det(x)"), r.err());
        assertTrue(r.err().contains("aten::fft_rfft") && r.err().contains("code/__torch__.py:"), r.err());
        assertFalse(Files.exists(out));
        CliRun list = CliRun.of("convert", src.toString(), "--list-ops");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("aten::relu") && list.out().contains("covered"), list.out());
        assertTrue(list.out().contains("aten::linalg_det") && list.out().contains("NOT SUPPORTED"), list.out());
    }

    @Test
    void missingInputShapeIsAUsageErrorNamingForwardsArguments() throws Exception {
        Path src = copy("traced_cnn.pt");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", dir.resolve("o.onnx").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("forward takes [x]") && r.err().contains("--input-shape x:"), r.err());
        CliRun badOpset = CliRun.of("convert", src.toString(), "--to", "onnx", "--opset", "9", "--input-shape",
                "x:1x3x8x8");
        assertEquals(2, badOpset.exitCode(), badOpset.err());
        assertTrue(badOpset.err().contains("accepted: 13 to 21"), badOpset.err());
    }

    @Test
    void notTorchScriptAndNotAZipAreRefusedWithOneLine() throws Exception {
        Path stateDict = copy("state_dict.pt");
        CliRun r = CliRun.of("convert", stateDict.toString(), "--to", "onnx", "-o", dir.resolve("s.onnx").toString());
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains("state_dict") && r.err().contains("torch.jit.trace"), r.err());
        Path junk = dir.resolve("junk.pt");
        Files.writeString(junk, "not a zip at all");
        CliRun j = CliRun.of("convert", junk.toString(), "--to", "onnx", "-o", dir.resolve("j.onnx").toString());
        assertEquals(3, j.exitCode(), j.err());
        assertTrue(j.err().contains(junk.toString()), j.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".onnx")).toList());
        }
    }
}
