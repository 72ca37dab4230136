package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mconv convert MODEL.onnx --to onnx --opset N} through the real entry point: both directions validated in
 * ONNX Runtime against the source, the fix {@code mconv check} suggests actually working, refusals and bad targets
 * with their exit codes.
 */
class ConvertOpsetCommandTest {

    @TempDir
    Path dir;

    private Path write(String name, Model m) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, ProtoExporter.exportModel(m).toByteArray());
        return p;
    }

    private static Onnx.ModelProto read(Path p) throws Exception {
        return Onnx.ModelProto.parseFrom(Files.readAllBytes(p));
    }

    private static long defaultOpset(Onnx.ModelProto m) {
        return m.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .findFirst().orElseThrow().getVersion();
    }

    private static List<String> ops(Onnx.ModelProto m) {
        return m.getGraph().getNodeList().stream().map(Onnx.NodeProto::getOpType).toList();
    }

    @Test
    void theFixCheckSuggestsConvertsTheModelAndCheckThenPasses() throws Exception {
        ModelBuilder b = new ModelBuilder(6);
        Value x = b.input("x", DataType.FLOAT, 2);
        Path model = write("add6.onnx", b.output(b.node("Add", x, x), DataType.FLOAT, 2).model());
        CliRun check = CliRun.of("check", model.toString(), "--target", "cpu");
        assertEquals(1, check.exitCode(), check.out());
        Matcher fix = Pattern.compile("fix: mconv convert (\\S+) --to onnx --opset (\\d+)").matcher(check.out());
        assertTrue(fix.find(), check.out());
        Path out = dir.resolve("add7.onnx");
        CliRun convert = CliRun.of("convert", fix.group(1), "--to", "onnx", "--opset", fix.group(2), "-o",
                out.toString());
        assertEquals(0, convert.exitCode(), convert.out() + convert.err());
        assertTrue(convert.out().contains("opset      6 -> 7"), convert.out());
        assertEquals(7, defaultOpset(read(out)));
        CliRun again = CliRun.of("check", out.toString(), "--target", "cpu", "--verify");
        assertEquals(0, again.exitCode(), again.out() + again.err());
    }

    @Test
    void raisingRewritesSoftmaxAndAxesAndOrtAgreesWithTheSource() throws Exception {
        ModelBuilder b = new ModelBuilder(11);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value s = b.nodeWith("Softmax", new Attribute[] {Attribute.ofInt("axis", 1)}, x);
        Value r = b.nodeWith("ReduceMean", new Attribute[] {Attribute.ofInts("axes", 2), Attribute.ofInt("keepdims",
                0)}, s);
        b.output(b.nodeWith("Unsqueeze", new Attribute[] {Attribute.ofInts("axes", 2)}, r), DataType.FLOAT, 2, 3, 1);
        Path model = write("old.onnx", b.model());
        Path out = dir.resolve("new.onnx");
        CliRun run = CliRun.of("convert", model.toString(), "--to", "onnx", "--opset", "18", "-o", out.toString(),
                "--json");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertEquals("mconv.convert/1", doc.get("schema").asText());
        assertEquals(11, doc.get("opset").get("from").asInt());
        assertEquals(18, doc.get("opset").get("to").asInt());
        assertEquals(1, doc.get("opset").get("rewritten").get("Softmax").asInt());
        assertEquals(1, doc.get("opset").get("rewritten").get("ReduceMean").asInt());
        assertEquals(1, doc.get("opset").get("rewritten").get("Unsqueeze").asInt());
        assertTrue(doc.get("validation").get("passed").asBoolean(), doc.toString());
        Onnx.ModelProto converted = read(out);
        assertEquals(18, defaultOpset(converted));
        assertTrue(ops(converted).containsAll(List.of("Flatten", "Softmax", "Reshape")), ops(converted).toString());
    }

    @Test
    void loweringWritesSplitSizesAndAxesAttributesAndOrtAgreesWithTheSource() throws Exception {
        ModelBuilder b = new ModelBuilder(18);
        Value x = b.input("x", DataType.FLOAT, 6, 4);
        Node split = new Node("", "Split", "split");
        split.addInput(x);
        split.setAttribute(Attribute.ofInt("num_outputs", 2));
        split.addOutput(new Value("a", null));
        split.addOutput(new Value("b", null));
        b.graph().append(split);
        Value axes = b.constant(Tensor.ofLongs("axes", new long[] {1}, 1));
        Value sum = b.node("ReduceSum", split.output(0), axes);
        b.output(sum, DataType.FLOAT, 3, 1).output(split.output(1), DataType.FLOAT, 3, 4);
        Path model = write("new.onnx", b.model());
        Path out = dir.resolve("old.onnx");
        CliRun run = CliRun.of("convert", model.toString(), "--to", "onnx", "--opset", "11", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("2 of 2 outputs match the source"), run.out());
        Onnx.ModelProto converted = read(out);
        assertEquals(11, defaultOpset(converted));
        Onnx.NodeProto splitNode = converted.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Split")).findFirst().orElseThrow();
        assertEquals(List.of(3L, 3L), splitNode.getAttributeList().stream().filter(a -> a.getName().equals("split"))
                .findFirst().orElseThrow().getIntsList());
    }

    @Test
    void anOperatorWithoutEquivalentAtTheTargetExitsThreeNamingItAndWritesNothing() throws Exception {
        ModelBuilder b = new ModelBuilder(18);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 3);
        b.output(b.nodeWith("GroupNormalization", new Attribute[] {Attribute.ofInt("num_groups", 2)}, x,
                b.weight("s", 2), b.weight("b", 2)), DataType.FLOAT, 1, 4, 3);
        Path model = write("gn.onnx", b.model());
        Path out = dir.resolve("gn13.onnx");
        CliRun run = CliRun.of("convert", model.toString(), "--to", "onnx", "--opset", "13", "-o", out.toString());
        assertEquals(3, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("GroupNormalization has no definition at opset 13"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aTargetOutsideTheConvertibleRangeIsAUsageError() throws Exception {
        ModelBuilder b = new ModelBuilder(13);
        b.output(b.node("Relu", b.input("x", DataType.FLOAT, 2)), DataType.FLOAT, 2);
        Path model = write("relu.onnx", b.model());
        CliRun run = CliRun.of("convert", model.toString(), "--to", "onnx", "--opset", "5", "-o",
                dir.resolve("o.onnx").toString());
        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("--opset 5"), run.err());
    }

    /** x[4, 64] → LayerNormalization(axis=-1) with random scale and bias, at opset 17. */
    private Path layerNorm17() throws Exception {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 4, 64);
        b.output(b.nodeWith("LayerNormalization", new Attribute[] {Attribute.ofInt("axis", -1)}, x,
                b.weight("scale", 64), b.weight("bias", 64)), DataType.FLOAT, 4, 64);
        return write("ln17.onnx", b.model());
    }

    @Test
    void targetOrtKeepsLayerNormalizationAtOpset13AndTheResultMatchesExactly() throws Exception {
        Path model = layerNorm17();
        Path out = dir.resolve("ln13.ort.onnx");
        CliRun run = CliRun.of("convert", model.toString(), "--to", "onnx", "--opset", "13", "--target", "ort",
                "-o", out.toString(), "--atol", "0", "--rtol", "0", "--cache-dir", dir.resolve("cache").toString(),
                "--json");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertEquals("mconv.convert/1", doc.get("schema").asText(), run.out());
        JsonNode figures = step(doc, "convert-opset").get("figures");
        assertEquals("ort", figures.get("target").asText(), figures.toString());
        assertEquals(13, figures.get("opset").asInt());
        // validated against the opset-17 original in ORT with no tolerance at all: the same kernel ran
        JsonNode validated = figures.get("validation").get("outputs").get(0);
        assertTrue(validated.get("passed").asBoolean(), validated.toString());
        assertEquals(0.0, validated.get("max_abs_error").asDouble(), validated.toString());
        Onnx.ModelProto converted = read(out);
        assertEquals(13, defaultOpset(converted));
        Onnx.NodeProto ln = converted.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("LayerNormalization")).findFirst().orElseThrow(
                        () -> new AssertionError("no LayerNormalization in " + ops(converted)));
        assertEquals("", ln.getDomain());
        assertFalse(ops(converted).contains("ReduceMean"), ops(converted).toString());
    }

    @Test
    void targetPortableAndThePlainCommandStillWriteLayerNormalizationOut() throws Exception {
        Path model = layerNorm17();
        Path portable = dir.resolve("ln13.portable.onnx");
        CliRun run = CliRun.of("convert", model.toString(), "--to", "onnx", "--opset", "13", "--target", "portable",
                "-o", portable.toString(), "--cache-dir", dir.resolve("cache").toString(), "--json");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals("portable", step(new ObjectMapper().readTree(run.out()), "convert-opset").get("figures")
                .get("target").asText());
        Path plain = dir.resolve("ln13.onnx");
        CliRun plainRun = CliRun.of("convert", model.toString(), "--to", "onnx", "--opset", "13", "-o",
                plain.toString());
        assertEquals(0, plainRun.exitCode(), plainRun.out() + plainRun.err());
        for (Path p : List.of(portable, plain)) {
            Onnx.ModelProto converted = read(p);
            assertEquals(13, defaultOpset(converted));
            assertFalse(ops(converted).contains("LayerNormalization"), p + ": " + ops(converted));
            assertTrue(ops(converted).contains("ReduceMean"), p + ": " + ops(converted));
        }
    }

    private static JsonNode step(JsonNode report, String name) {
        for (JsonNode s : report.get("steps")) {
            if (name.equals(s.get("name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + report);
    }
}
