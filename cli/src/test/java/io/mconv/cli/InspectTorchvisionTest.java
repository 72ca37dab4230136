package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.testing.Fixtures;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code mconv inspect} on torchvision models exported by torch.onnx (Debian's torch 1.13): parameters, MACs, node
 * counts and operator histograms must equal what the fixture script measured in torch (MACs with forward hooks on
 * Conv and Linear).
 */
class InspectTorchvisionTest {

    private static JsonNode facts(String model) throws Exception {
        return new ObjectMapper().readTree(Files.readString(Fixtures.generated(model + ".facts.json")));
    }

    private static JsonNode inspect(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2", "efficientnet_b0", "tiny_cnn"})
    void matchesTorchFacts(String name) throws Exception {
        JsonNode facts = facts(name);
        JsonNode doc = inspect("inspect", Fixtures.generated(name + ".onnx").toString(), "--json");
        System.out.printf("%s: parameters %d, MACs %d, nodes %d%n", name, doc.get("parameters").asLong(),
                doc.get("macs").asLong(), doc.get("nodes").asInt());
        assertEquals(facts.get("onnx_initializer_elements").asLong(), doc.get("parameters").asLong());
        assertEquals(facts.get("macs").asLong(), doc.get("macs").asLong(), "Conv + Gemm + MatMul MACs");
        assertEquals(facts.get("node_count").asInt(), doc.get("nodes").asInt());
        assertEquals(0, doc.get("macs_detail").get("unknown_nodes").asInt());
        Iterator<Map.Entry<String, JsonNode>> ops = facts.get("op_histogram").fields();
        int kinds = 0;
        while (ops.hasNext()) {
            Map.Entry<String, JsonNode> e = ops.next();
            assertEquals(e.getValue().asInt(), doc.get("op_histogram").get(e.getKey()).asInt(), e.getKey());
            kinds++;
        }
        assertEquals(kinds, doc.get("op_histogram").size());
    }

    @Test
    void resnet18AndMobilenetHeadlineFigures() throws Exception {
        JsonNode resnet = inspect("inspect", Fixtures.generated("resnet18.onnx").toString(), "--json");
        // torch counts 11,689,512 parameters; torch.onnx folds BatchNorm into Conv, which leaves 11,684,712.
        assertEquals(11_684_712L, resnet.get("parameters").asLong());
        assertEquals(1.81e9, resnet.get("macs").asDouble(), 0.01e9);
        JsonNode mobilenet = inspect("inspect", Fixtures.generated("mobilenet_v2.onnx").toString(), "--json");
        assertEquals(3_487_816L, mobilenet.get("parameters").asLong());
        assertEquals(0.30e9, mobilenet.get("macs").asDouble(), 0.01e9);
    }

    @Test
    void symbolicBatchIsShownAndCanBeFixed() throws Exception {
        String model = Fixtures.generated("resnet18_dynamic.onnx").toString();
        JsonNode doc = inspect("inspect", model, "--json");
        assertEquals("batch", doc.get("inputs").get(0).get("shape").get(0).asText());
        assertTrue(doc.get("macs_detail").get("assumed_batch_one").asBoolean());
        long one = doc.get("macs").asLong();
        JsonNode four = inspect("inspect", model, "--json", "--input-shape", "input:4x3x224x224");
        assertFalse(four.get("macs_detail").get("assumed_batch_one").asBoolean());
        assertEquals(4 * one, four.get("macs").asLong());
        CliRun text = CliRun.of("inspect", model);
        assertTrue(text.out().matches("(?s).*input\\s+float32\\s+batchx3x224x224.*"), text.out());
    }

    @Test
    void externalDataWrittenByPythonOnnx() throws Exception {
        JsonNode doc = inspect("inspect", Fixtures.generated("external_small.onnx").toString(), "--json");
        JsonNode facts = facts("external_small");
        assertEquals(facts.get("onnx_initializer_elements").asLong(), doc.get("parameters").asLong());
        assertEquals(0, doc.get("weight_bytes").get("inline").asLong());
        assertEquals(4 * doc.get("parameters").asLong(), doc.get("weight_bytes").get("external").asLong());
        assertEquals("external_small.onnx.data", doc.get("external_files").get(0).get("location").asText());
    }
}
