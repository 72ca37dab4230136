package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.ir.testing.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv check} through the real entry point: exit codes, text reasons and the mconv.check/1 document. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private Path write(String name, Model m) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, ProtoExporter.exportModel(m).toByteArray());
        return p;
    }

    private Path relu() throws Exception {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        return write("relu.onnx", b.output(b.node("Relu", x), DataType.FLOAT, 2, 3).model());
    }

    @Test
    void aPortableModelRunsEverywhereAndTheJsonCarriesTheSchemaAndOneEntryPerTarget() throws Exception {
        CliRun run = CliRun.of("check", relu().toString(), "--target", "cpu,cuda,tensorrt,coreml,wasm", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertEquals("mconv.check/1", doc.get("schema").asText());
        assertEquals(5, doc.get("targets").size());
        assertEquals("cpu", doc.get("targets").get(0).get("target").asText());
        for (JsonNode t : doc.get("targets")) {
            assertEquals("runs", t.get("verdict").asText(), t.toString());
            assertTrue(t.get("table").asText().length() > 20);
        }
        assertTrue(doc.get("all_run").asBoolean());
        assertEquals(13, doc.get("opsets").get("ai.onnx").asInt());
    }

    @Test
    void anOperatorVersionCpuHasNoKernelForExitsOneWithTheReasonAndTheFix() throws Exception {
        ModelBuilder b = new ModelBuilder(6);
        Value x = b.input("x", DataType.FLOAT, 2);
        Path model = write("add6.onnx", b.output(b.node("Add", x, x), DataType.FLOAT, 2).model());
        CliRun run = CliRun.of("check", model.toString(), "--target", "cpu");
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("WON'T RUN"), run.out());
        assertTrue(run.out().contains("add_node_0 (Add, opset 6): no cpu kernel for Add version 6"), run.out());
        assertTrue(run.out().contains("fix: mconv convert " + model + " --to onnx --opset 7"), run.out());
    }

    @Test
    void aCustomDomainOperatorWontRunOnCoremlAndTheJsonSaysWhy() throws Exception {
        ModelBuilder b = new ModelBuilder(17);
        b.model().opsetImports().put("com.example", 1);
        Value x = b.input("x", DataType.FLOAT, 2);
        Node n = new Node("com.example", "Fancy", "fancy");
        n.addInput(x);
        Value y = n.addOutput(new Value("y", new ValueType.TensorType(DataType.FLOAT, Shape.of(2))));
        b.graph().append(n);
        Path model = write("custom.onnx", b.output(y).model());
        CliRun run = CliRun.of("check", model.toString(), "--target", "coreml", "--json");
        assertEquals(1, run.exitCode());
        JsonNode t = new ObjectMapper().readTree(run.out()).get("targets").get(0);
        assertEquals("wont-run", t.get("verdict").asText());
        JsonNode f = t.get("findings").get(0);
        assertEquals("custom-domain", f.get("rule").asText());
        assertEquals("blocks", f.get("severity").asText());
        assertEquals("fancy", f.get("node").asText());
        assertEquals("com.example::Fancy", f.get("op").asText());
    }

    @Test
    void verifyRunsCpuHereAndSaysCudaIsNotAvailable() throws Exception {
        CliRun run = CliRun.of("check", relu().toString(), "--target", "cpu,cuda", "--verify", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode targets = new ObjectMapper().readTree(run.out()).get("targets");
        assertEquals("ran", targets.get(0).get("verify").get("status").asText());
        assertTrue(targets.get(0).get("verify").get("prediction_confirmed").asBoolean());
        assertEquals("not-available", targets.get(1).get("verify").get("status").asText());
        assertTrue(targets.get(1).get("verify").get("detail").asText().startsWith("not available here"));
        assertTrue(targets.get(1).get("verify").get("prediction_confirmed").isNull());
    }

    @Test
    void anUnknownTargetIsAUsageErrorListingTheAcceptedOnes() throws Exception {
        CliRun run = CliRun.of("check", relu().toString(), "--target", "cpu,tpu");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown target 'tpu'"), run.err());
        assertTrue(run.err().contains("cpu, cuda, tensorrt, directml, coreml, webgpu, wasm"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aFileThatIsNotOnnxExitsThree() throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "this is not a model");
        CliRun run = CliRun.of("check", junk.toString());
        assertEquals(3, run.exitCode());
        assertEquals(1, run.errLines(), run.err());
    }
}
