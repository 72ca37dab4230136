package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.Tensor;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.ir.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mconv quantize --mode static} through the real entry point on the generated resnet18 (and bert_like for a
 * result below the bar), with a calibration folder of seeded N(0,1) images written here as TensorProto files.
 */
class QuantizeStaticCommandTest {

    @TempDir
    Path dir;

    private static String model(String name) {
        return Fixtures.generated(name + ".onnx").toString();
    }

    /** {@code samples} subfolders sample_i/input_0.pb, each a [1,3,224,224] image of seeded N(0,1) values. */
    private Path calibrationFolder(int samples, long seed) throws Exception {
        Path calib = dir.resolve("calib");
        Random random = new Random(seed);
        for (int i = 0; i < samples; i++) {
            float[] v = new float[3 * 224 * 224];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) random.nextGaussian();
            }
            Path sample = Files.createDirectories(calib.resolve("sample_" + i));
            Tensor t = Tensor.ofFloats("input", new long[] {1, 3, 224, 224}, v);
            Files.write(sample.resolve("input_0.pb"), TensorProtos.toProto(t).toByteArray());
        }
        return calib;
    }

    @Test
    void qdqPerChannelWithCalibrationFolderAsJson() throws Exception {
        Path calib = calibrationFolder(6, 1);
        Path out = dir.resolve("r.int8.onnx");
        CliRun r = CliRun.of("quantize", model("resnet18"), "-o", out.toString(), "--mode", "static",
                "--per-channel", "--calibration", calib.toString(), "--calibrate", "minmax", "--json");
        assertEquals(0, r.exitCode(), r.err());
        System.out.println(r.out());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.quantize/1", doc.get("schema").asText());
        assertEquals("int8", doc.get("precision").asText());
        assertTrue(doc.get("plan").asText().startsWith("static int8 qdq per-channel, minmax calibration on folder"),
                r.out());
        assertTrue(doc.get("size_ratio").asDouble() < 0.30, r.out());
        assertEquals(Files.size(out), doc.get("output_bytes").asLong());
        JsonNode v = doc.get("validation");
        assertEquals(0.99, v.get("min_cosine_required").asDouble());
        assertTrue(v.get("worst_cosine").asDouble() >= 0.99, r.out());
        assertEquals("int8", v.get("tolerance").asText());
        assertEquals(1, v.get("outputs").size());
        assertTrue(v.get("outputs").get(0).get("top1_agreement").isNumber(), r.out());
        assertTrue(doc.get("ops_after").get("QuantizeLinear").asInt() >= 20, r.out());
        assertTrue(doc.get("ops_after").get("DequantizeLinear").asInt() >= 40, r.out());
        assertEquals(20, doc.get("ops_after").get("Conv").asInt(), r.out());
        assertEquals(17, doc.get("opset_after").asInt(), "resnet18 is at opset 17 already");
        assertTrue(doc.get("latency").get("ratio").asDouble() > 0, r.out());
        assertEquals(0, doc.get("warnings").size(), "real calibration data: no warning " + r.out());
        assertTrue(r.err().isBlank(), r.err());
    }

    @Test
    void qoperatorWithoutCalibrationWarnsThatRealDataIsBetter() throws Exception {
        Path out = dir.resolve("r.qop.onnx");
        CliRun r = CliRun.of("quantize", model("resnet18"), "-o", out.toString(), "--mode", "static",
                "--per-channel", "--format", "qoperator", "--exclude", "Gemm");
        assertEquals(0, r.exitCode(), r.err());
        System.out.println(r.out() + r.err());
        assertTrue(r.err().startsWith("warning: calibrating on seeded random N(0,1) inputs"), r.err());
        assertTrue(r.err().contains("real data"), r.err());
        assertTrue(r.out().contains("plan:      static int8 qoperator per-channel, minmax calibration on 16 "),
                r.out());
        assertTrue(r.out().matches("(?s).*cosine 0\\.99\\d+ \\(bar 0\\.990\\).*top-1 agreement.*"), r.out());
        assertTrue(r.out().contains("latency:"), r.out());
        assertTrue(Files.size(out) < Files.size(Path.of(model("resnet18"))) * 0.3, "written and smaller");
    }

    /** Static int8 activations after LayerNorm and Softmax: bert_like lands near cosine 0.91 here, below the bar. */
    @Test
    void bertLikeBelowTheBarWritesNothing() throws Exception {
        Path out = dir.resolve("b.int8.onnx");
        CliRun r = CliRun.of("quantize", model("bert_like"), "-o", out.toString(), "--mode", "static", "--json");
        System.out.println(r.err());
        assertEquals(ExitCodes.CHECK_FAILED, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().matches("(?s).*drifts too far from the float model \\(output 'output' cosine 0\\.\\d+ < "
                + "0\\.99.*"), r.err());
        assertTrue(r.out().isEmpty(), "nothing on stdout when nothing was written: " + r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void staticUsageErrors() {
        String out = dir.resolve("x.onnx").toString();
        CliRun type = CliRun.of("quantize", model("resnet18"), "-o", out, "--mode", "static", "--activation-type",
                "int4");
        assertEquals(ExitCodes.USAGE, type.exitCode(), type.err());
        CliRun conv = CliRun.of("quantize", model("resnet18"), "-o", out, "--mode", "static", "--include-conv");
        assertEquals(ExitCodes.USAGE, conv.exitCode(), conv.err());
        CliRun missing = CliRun.of("quantize", model("resnet18"), "-o", out, "--mode", "static", "--calibration",
                dir.resolve("nowhere").toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.exitCode(), missing.err());
        assertFalse(Files.exists(Path.of(out)));
    }
}
