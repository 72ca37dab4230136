package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv convert} for ONNX sources, through the real entry point, including BAD_INPUTS item 18. */
class ConvertCommandTest {

    @TempDir
    Path dir;

    private Path copyOfExample() throws IOException {
        Path p = dir.resolve("tiny.onnx");
        Files.copy(InspectCommandTest.example(), p);
        return p;
    }

    private Set<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void inlineConversionIsValidatedAndReported() throws Exception {
        Path src = copyOfExample();
        Path out = dir.resolve("out.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.convert/1", doc.get("schema").asText());
        assertTrue(doc.get("validation").get("passed").asBoolean());
        assertEquals(0.0, doc.get("validation").get("outputs").get(0).get("max_abs_error").asDouble());
        assertTrue(doc.get("data_file").isNull());
        assertEquals(Set.of("tiny.onnx", "out.onnx"), listing());
        Onnx.ModelProto written = Onnx.ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals(7, written.getGraph().getNodeCount());
        CliRun text = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", dir.resolve("t.onnx").toString());
        assertTrue(text.out().contains("1 of 1 outputs match the source"), text.out());
    }

    @Test
    void externalDataWithAThreshold() throws Exception {
        Path src = copyOfExample();
        Path out = dir.resolve("ext.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--external-data",
                "--external-data-threshold", "1KB", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        // tiny_cnn has three tensors of 1 kB or more (two conv weights and the fc weight).
        assertEquals(3, doc.get("external_tensors").asInt());
        assertTrue(Files.exists(dir.resolve("ext.onnx.data")));
        CliRun inspect = CliRun.of("inspect", out.toString(), "--json");
        JsonNode info = new ObjectMapper().readTree(inspect.out());
        assertEquals(5418, info.get("parameters").asLong());
        assertEquals("ext.onnx.data", info.get("external_files").get(0).get("location").asText());
    }

    @Test
    void item18OutputThatWouldOverwriteTheInputIsRefused() throws Exception {
        Path src = copyOfExample();
        byte[] before = Files.readAllBytes(src);
        CliRun same = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", src.toString());
        assertEquals(ExitCodes.USAGE, same.exitCode(), same.err());
        assertEquals(1, same.errLines(), same.err());
        assertTrue(same.err().contains("refusing to overwrite the input"), same.err());

        Path link = dir.resolve("link.onnx");
        Files.createSymbolicLink(link, src);
        CliRun viaLink = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", link.toString());
        assertEquals(ExitCodes.USAGE, viaLink.exitCode(), viaLink.err());
        assertTrue(viaLink.err().contains(link.toString()), viaLink.err());

        // Output b.onnx would write its weights to b.onnx.data, which is the data file the input reads from.
        Path ext = dir.resolve("a.onnx");
        assertEquals(0, CliRun.of("convert", src.toString(), "--to", "onnx", "-o", ext.toString(),
                "--external-data").exitCode());
        Files.move(dir.resolve("a.onnx.data"), dir.resolve("b.onnx.data"));
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(Files.readAllBytes(ext));
        Onnx.ModelProto relinked = io.mconv.onnx.io.ModelTensors.map(m, t -> t.getDataLocation()
                == Onnx.TensorProto.DataLocation.EXTERNAL ? t.toBuilder().clearExternalData()
                .addAllExternalData(t.getExternalDataList().stream().map(e -> e.getKey().equals("location")
                        ? e.toBuilder().setValue("b.onnx.data").build() : e).toList()).build() : t);
        Files.write(ext, relinked.toByteArray());
        byte[] data = Files.readAllBytes(dir.resolve("b.onnx.data"));
        CliRun clobber = CliRun.of("convert", ext.toString(), "--to", "onnx", "-o", dir.resolve("b.onnx").toString(),
                "--external-data");
        assertEquals(ExitCodes.USAGE, clobber.exitCode(), clobber.err());
        assertTrue(clobber.err().contains("b.onnx.data"), clobber.err());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("b.onnx.data")));
        assertFalse(Files.exists(dir.resolve("b.onnx")));
        assertArrayEquals(before, Files.readAllBytes(src));
    }

    @Test
    void aSourceOrtCannotRunIsACheckFailureUnlessValidationIsSkipped() throws Exception {
        Onnx.ModelProto unknownOp = Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("custom.ops").setVersion(1))
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(Onnx.GraphProto.newBuilder().setName("g")
                        .addInput(Onnx.ValueInfoProto.newBuilder().setName("x").setType(Onnx.TypeProto.newBuilder()
                                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(
                                        Onnx.TensorShapeProto.newBuilder().addDim(
                                                Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(2))))))
                        .addNode(Onnx.NodeProto.newBuilder().setOpType("Frobnicate").setDomain("custom.ops")
                                .addInput("x").addOutput("y"))
                        .addOutput(Onnx.ValueInfoProto.newBuilder().setName("y"))).build();
        Path src = dir.resolve("custom.onnx");
        Files.write(src, unknownOp.toByteArray());
        Path out = dir.resolve("out.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString());
        assertEquals(ExitCodes.CHECK_FAILED, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains("cannot validate in ONNX Runtime") && r.err().contains("--no-validate"), r.err());
        assertFalse(Files.exists(out), "nothing written when validation cannot prove the result");
        CliRun unchecked = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--no-validate");
        assertEquals(0, unchecked.exitCode(), unchecked.err());
        assertTrue(unchecked.out().contains("validation skipped"), unchecked.out());
        assertTrue(Files.exists(out));
    }

    @Test
    void usageErrorsAndUnsupportedSources() throws Exception {
        Path src = copyOfExample();
        CliRun target = CliRun.of("convert", src.toString(), "--to", "tflite", "-o", dir.resolve("o").toString());
        assertEquals(ExitCodes.USAGE, target.exitCode());
        assertTrue(target.err().contains("--to 'tflite' is not supported (accepted: onnx)"), target.err());
        CliRun size = CliRun.of("convert", src.toString(), "--to", "onnx", "--external-data-threshold", "12 parsecs");
        assertEquals(ExitCodes.USAGE, size.exitCode());
        assertTrue(size.err().contains("invalid size '12 parsecs'"), size.err());
        CliRun noTo = CliRun.of("convert", src.toString());
        assertEquals(ExitCodes.USAGE, noTo.exitCode());
        Path pt = dir.resolve("model.pt");
        Files.write(pt, new byte[] {'P', 'K', 3, 4});
        CliRun torch = CliRun.of("convert", pt.toString(), "--to", "onnx", "-o", dir.resolve("m.onnx").toString());
        assertEquals(ExitCodes.INVALID_INPUT, torch.exitCode());
        // a truncated zip named .pt now reaches the TorchScript reader, which refuses it naming the file
        assertTrue(torch.err().contains(pt.toString()) && torch.err().contains("not a zip archive"), torch.err());
        CliRun missingDir = CliRun.of("convert", src.toString(), "--to", "onnx", "-o",
                dir.resolve("no/such/dir/o.onnx").toString());
        assertEquals(ExitCodes.USAGE, missingDir.exitCode(), missingDir.err());
    }
}
