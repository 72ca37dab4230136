package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv convert state_dict.pt --arch mlp:... --to onnx}, through the real entry point. */
class ConvertStateDictCommandTest {

    @TempDir
    Path dir;

    private Path copy(String name) throws Exception {
        Path p = dir.resolve(Path.of(name).getFileName());
        Files.copy(Fixtures.testdata().resolve("torch").resolve(name), p);
        return p;
    }

    private List<Path> onnxFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".onnx")).toList();
        }
    }

    @Test
    void buildsValidatesAgainstTheEvaluatorAndWrites() throws Exception {
        Path src = copy("statedict/mlp_relu.pt");
        Path out = dir.resolve("mlp.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--arch", "mlp:8,16,4", "--to", "onnx", "-o",
                out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.convert/1", doc.get("schema").asText());
        assertEquals("state_dict", doc.get("source_format").asText());
        assertEquals(17, doc.get("opset").asInt());
        assertEquals(2, doc.get("op_histogram").get("Gemm").asInt());
        assertEquals(1, doc.get("op_histogram").get("Relu").asInt());
        assertTrue(doc.get("validation").get("passed").asBoolean(), r.out());
        assertEquals("mconv reference evaluator", doc.get("validation").get("reference").asText());
        assertTrue(doc.get("validation").get("outputs").get(0).get("max_abs_error").asDouble() < 1e-5, r.out());
        Onnx.ModelProto written = Onnx.ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals("input", written.getGraph().getInput(0).getName());
        assertEquals("batch", written.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0)
                .getDimParam());
        assertEquals("output", written.getGraph().getOutput(0).getName());
        assertEquals(List.of("Gemm", "Relu", "Gemm"), written.getGraph().getNodeList().stream()
                .map(Onnx.NodeProto::getOpType).toList());

        CliRun text = CliRun.of("convert", src.toString(), "--arch", "mlp:8,16,4:gelu", "--to", "onnx", "-o",
                dir.resolve("g.onnx").toString(), "--opset", "20", "--input-shape", "input:3x8");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("opset 20"), text.out());
        assertTrue(text.out().contains("1 of 1 outputs match mconv reference evaluator"), text.out());
        assertTrue(text.out().contains("Gelu 1"), text.out());
    }

    @Test
    void aWrongArchIsInvalidInputWithOneLineNamingTheFile() throws Exception {
        Path src = copy("statedict/mlp_relu.pt");
        CliRun r = CliRun.of("convert", src.toString(), "--arch", "mlp:8,32,4", "--to", "onnx", "-o",
                dir.resolve("w.onnx").toString());
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains(src.toString()), r.err());
        assertTrue(r.err().contains("'0.weight' has shape [16, 8]") && r.err().contains("expects [32, 8]"), r.err());
        assertEquals(List.of(), onnxFiles());
    }

    @Test
    void badArchAndMisplacedArchAreUsageErrors() throws Exception {
        Path src = copy("statedict/mlp_relu.pt");
        CliRun bad = CliRun.of("convert", src.toString(), "--arch", "mlp:8,x,4", "--to", "onnx");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--arch 'mlp:8,x,4'") && bad.err().contains("mlp:D0,D1,...,Dn"), bad.err());

        CliRun torchScript = CliRun.of("convert", copy("traced_cnn.pt").toString(), "--arch", "mlp:8,16,4", "--to",
                "onnx");
        assertEquals(2, torchScript.exitCode(), torchScript.err());
        assertTrue(torchScript.err().contains("TorchScript archive"), torchScript.err());

        Path onnx = dir.resolve("tiny.onnx");
        Files.copy(InspectCommandTest.example(), onnx);
        CliRun onOnnx = CliRun.of("convert", onnx.toString(), "--arch", "mlp:8,16,4", "--to", "onnx", "-o",
                dir.resolve("o.onnx").toString());
        assertEquals(2, onOnnx.exitCode(), onOnnx.err());
        assertTrue(onOnnx.err().contains("an ONNX model has its own graph"), onOnnx.err());

        CliRun otherInput = CliRun.of("convert", src.toString(), "--arch", "mlp:8,16,4", "--to", "onnx",
                "--input-shape", "x:1x8");
        assertEquals(2, otherInput.exitCode(), otherInput.err());
        assertTrue(otherInput.err().contains("one input, 'input'"), otherInput.err());
        assertEquals(List.of(onnx), onnxFiles());
    }

    @Test
    void aStateDictWithoutArchIsStillRefusedWithTheTorchScriptAdvice() throws Exception {
        Path src = copy("statedict/mlp_relu.pt");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", dir.resolve("s.onnx").toString());
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains("state_dict") && r.err().contains("torch.jit.trace")
                && r.err().contains("--arch"), r.err());
        assertEquals(List.of(), onnxFiles());
    }
}
