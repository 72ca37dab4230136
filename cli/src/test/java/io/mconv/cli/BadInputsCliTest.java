package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mconv.onnx.proto.Onnx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BAD_INPUTS items 1-9, 17 and 21 through the real command line: each test builds its bad file, runs
 * {@code mconv inspect} on it, and checks the exit code, that stderr is one line naming the file and the cause,
 * that the input is unchanged and that nothing was written beside it.
 */
class BadInputsCliTest {

    @TempDir
    Path dir;

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Onnx.ValueInfoProto floatValue(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDimBuilder().setDimValue(d);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static Onnx.ModelProto model(Onnx.GraphProto.Builder g) {
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g.setName("g")).build();
    }

    /** A valid one-node model: y = Relu(x) with a weight w added, w stored as given. */
    private static Onnx.ModelProto withWeight(Onnx.TensorProto w) {
        return model(Onnx.GraphProto.newBuilder().addInput(floatValue("x", 4)).addInitializer(w)
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("w").addOutput("y"))
                .addOutput(floatValue("y", 4)));
    }

    private static Onnx.TensorProto externalWeight(String location, String offset, String length) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location));
        if (offset != null) {
            t.addExternalData(entry("offset", offset));
        }
        if (length != null) {
            t.addExternalData(entry("length", length));
        }
        return t.build();
    }

    private static Onnx.StringStringEntryProto entry(String k, String v) {
        return Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Set<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Runs inspect on {@code file}; asserts exit code, a single error line naming the file and cause, no side effects. */
    private CliRun refused(Path file, int exitCode, String cause) throws IOException {
        byte[] before = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        Set<String> filesBefore = listing();
        CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of("inspect", file.toString()));
        assertEquals(exitCode, r.exitCode(), "exit code; stderr: " + r.err());
        assertEquals(1, r.errLines(), "one error line: " + r.err());
        assertTrue(r.err().contains(file.toString()), "names the file: " + r.err());
        assertTrue(r.err().contains(cause), "says '" + cause + "': " + r.err());
        assertEquals("", r.out());
        if (before != null) {
            assertArrayEquals(before, Files.readAllBytes(file), "input unchanged");
        }
        assertEquals(filesBefore, listing(), "nothing written beside the input");
        return r;
    }

    private Path modelFile(String name, Onnx.ModelProto m) throws IOException {
        return write(name, m.toByteArray());
    }

    // ---- 1, 2, 3: the protobuf itself --------------------------------------------------------------------------

    @Test
    void item1TruncatedMidFieldMidVarintAndNotProtobuf() throws IOException {
        byte[] good = withWeight(Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
                .setRawData(ByteString.copyFrom(new byte[16])).build()).toByteArray();
        refused(write("mid_field.onnx", java.util.Arrays.copyOf(good, good.length - 5)), 3, "");
        // 0x08 is field 1 (ir_version) as a varint; 0x80 promises another varint byte that never comes.
        refused(write("mid_varint.onnx", new byte[] {0x08, (byte) 0x80}), 3, "");
        refused(write("text.onnx", "this is not a model\n".getBytes(StandardCharsets.UTF_8)), 3, "");
    }

    @Test
    void item2LengthFieldClaimingFarMoreThanTheFile() throws IOException {
        // Field 7 (graph), length-delimited, claiming 2,000,000,000 bytes in a 7-byte file.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x3a);
        long n = 2_000_000_000L;
        while (n >= 0x80) {
            b.write((int) (n & 0x7f) | 0x80);
            n >>>= 7;
        }
        b.write((int) n);
        refused(write("huge_length.onnx", b.toByteArray()), 3, "");
    }

    @Test
    void item3DeepNestingIsAnErrorNotAStackOverflow() throws IOException {
        // 100,000 nested unknown groups (field 99, start group / end group).
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int depth = 100_000;
        for (int i = 0; i < depth; i++) {
            b.write(0x9b);
            b.write(0x06);
        }
        for (int i = 0; i < depth; i++) {
            b.write(0x9c);
            b.write(0x06);
        }
        refused(write("deep_groups.onnx", b.toByteArray()), 3, "");
        // Subgraphs nested 40 deep (If inside If ...).
        Onnx.GraphProto inner = Onnx.GraphProto.newBuilder().setName("leaf")
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Constant").addOutput("v").addAttribute(
                        Onnx.AttributeProto.newBuilder().setName("value_float")
                                .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(1)))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("v")).build();
        Onnx.GraphProto leaf = inner;
        for (int i = 0; i < 40; i++) {
            inner = Onnx.GraphProto.newBuilder().setName("level" + i).addNode(Onnx.NodeProto.newBuilder()
                            .setOpType("If").addInput("c").addOutput("o" + i)
                            .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                                    .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(inner))
                            .addAttribute(Onnx.AttributeProto.newBuilder().setName("else_branch")
                                    .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(leaf)))
                    .addOutput(Onnx.ValueInfoProto.newBuilder().setName("o" + i)).build();
        }
        Onnx.GraphProto.Builder top = inner.toBuilder().addInput(Onnx.ValueInfoProto.newBuilder().setName("c")
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(9))));
        refused(modelFile("deep_subgraphs.onnx", model(top)), 3, "");
    }

    // ---- 4, 5, 6: the graph -----------------------------------------------------------------------------------

    @Test
    void item4CycleIsRefusedAndOutOfOrderIsResorted() throws IOException {
        Onnx.GraphProto.Builder cycle = Onnx.GraphProto.newBuilder().addInput(floatValue("x", 2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("b").addOutput("a"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput("a").addOutput("b"))
                .addOutput(floatValue("b", 2));
        refused(modelFile("cycle.onnx", model(cycle)), 3, "cycle");
        Onnx.GraphProto.Builder unordered = Onnx.GraphProto.newBuilder().addInput(floatValue("x", 2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Neg").addInput("r").addOutput("y"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("r"))
                .addOutput(floatValue("y", 2));
        CliRun ok = CliRun.of("inspect", modelFile("unordered.onnx", model(unordered)).toString(), "--json");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("\"nodes\" : 2"), ok.out());
    }

    @Test
    void item5TwoProducersDuplicateInitializersDanglingInput() throws IOException {
        Onnx.GraphProto.Builder two = Onnx.GraphProto.newBuilder().addInput(floatValue("x", 2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Neg").addInput("x").addOutput("y"))
                .addOutput(floatValue("y", 2));
        refused(modelFile("two_producers.onnx", model(two)), 3, "value 'y' has two producers");
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
                .setRawData(ByteString.copyFrom(new byte[16])).build();
        refused(modelFile("dup_init.onnx", withWeight(w).toBuilder()
                .setGraph(withWeight(w).getGraph().toBuilder().addInitializer(w)).build()), 3, "duplicate initializer 'w'");
        Onnx.GraphProto.Builder dangling = Onnx.GraphProto.newBuilder().addInput(floatValue("x", 2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("ghost").addOutput("y"))
                .addOutput(floatValue("y", 2));
        refused(modelFile("dangling.onnx", model(dangling)), 3, "reads 'ghost'");
    }

    @Test
    void item6BadDimsLengthsAndTypes() throws IOException {
        refused(modelFile("neg_dim.onnx", withWeight(Onnx.TensorProto.newBuilder().setName("w").setDataType(1)
                .addDims(-4).setRawData(ByteString.copyFrom(new byte[16])).build())), 3, "negative dimension -4");
        refused(modelFile("overflow.onnx", withWeight(Onnx.TensorProto.newBuilder().setName("w").setDataType(1)
                .addDims(1L << 40).addDims(1L << 40).setRawData(ByteString.copyFrom(new byte[16])).build())), 3,
                "overflows");
        refused(modelFile("short_raw.onnx", withWeight(Onnx.TensorProto.newBuilder().setName("w").setDataType(1)
                .addDims(4).setRawData(ByteString.copyFrom(new byte[12])).build())), 3, "has 12 data bytes but [4] float32 needs 16");
        refused(modelFile("short_typed.onnx", withWeight(Onnx.TensorProto.newBuilder().setName("w").setDataType(1)
                .addDims(4).addFloatData(1f).build())), 3, "has 1 values in float_data but its dims need 4");
        refused(modelFile("unknown_dtype.onnx", withWeight(Onnx.TensorProto.newBuilder().setName("w").setDataType(99)
                .addDims(4).build())), 3, "unknown data type (99)");
        refused(modelFile("undefined_dtype.onnx", withWeight(Onnx.TensorProto.newBuilder().setName("w")
                .addDims(4).build())), 3, "undefined data type (0)");
    }

    // ---- 7, 8: external data ----------------------------------------------------------------------------------

    @Test
    void item7ExternalDataLocationsThatLeaveTheFolder() throws IOException {
        Path outside = Files.createTempFile("mconv-outside", ".bin");
        try {
            Files.write(outside, new byte[16]);
            Path modelDir = Files.createDirectories(dir.resolve("model"));
            Files.write(modelDir.resolve("ok.bin"), new byte[16]);
            Files.createSymbolicLink(modelDir.resolve("link.bin"), outside);
            Files.createSymbolicLink(modelDir.resolve("linkdir"), outside.getParent());
            Files.createLink(modelDir.resolve("hard.bin"), modelDir.resolve("ok.bin"));
            String[][] cases = {
                {"absolute", outside.toString()},
                {"dotdot", "../" + outside.getFileName()},
                {"nested_dotdot", "a/../../" + outside.getFileName()},
                {"nul", "ok.bin\0.txt"},
                {"symlink", "link.bin"},
                {"symlink_dir", "linkdir/" + outside.getFileName()},
                {"hardlink", "hard.bin"},
            };
            for (String[] c : cases) {
                Path m = modelDir.resolve(c[0] + ".onnx");
                Files.write(m, withWeight(externalWeight(c[1], null, null)).toByteArray());
                byte[] secret = Files.readAllBytes(outside);
                CliRun r = CliRun.of("inspect", m.toString());
                assertEquals(3, r.exitCode(), c[0] + ": " + r.err());
                assertEquals(1, r.errLines(), c[0] + ": " + r.err());
                assertTrue(r.err().contains(m.toString()) && r.err().contains("'w'"), c[0] + ": " + r.err());
                assertArrayEquals(secret, Files.readAllBytes(outside));
            }
            // The same model pointing at a plain file inside the folder is fine: the refusals above are not blanket.
            Files.delete(modelDir.resolve("hard.bin"));
            Path good = modelDir.resolve("good.onnx");
            Files.write(good, withWeight(externalWeight("ok.bin", "0", "16")).toByteArray());
            CliRun r = CliRun.of("inspect", good.toString(), "--json");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("\"external\" : 16"), r.out());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void item8ExternalOffsetsAndLengths() throws IOException {
        Files.write(dir.resolve("w.bin"), new byte[16]);
        String[][] cases = {
            {"neg_offset", "-4", "16"},
            {"neg_length", "0", "-16"},
            {"nan_offset", "four", "16"},
            {"past_eof", "8", "16"},
            {"enormous", "0", "9223372036854775807"},
            {"wrong_length", "0", "12"},
        };
        for (String[] c : cases) {
            refused(modelFile(c[0] + ".onnx", withWeight(externalWeight("w.bin", c[1], c[2]))), 3, "'w'");
        }
        Onnx.TensorProto unknownKey = externalWeight("w.bin", "0", "16").toBuilder()
                .addExternalData(entry("compression", "zstd")).build();
        refused(modelFile("unknown_key.onnx", withWeight(unknownKey)), 3, "compression");
    }

    // ---- 9: functions -----------------------------------------------------------------------------------------

    @Test
    void item9RecursiveLocalFunction() throws IOException {
        Onnx.FunctionProto f = Onnx.FunctionProto.newBuilder().setName("F").setDomain("local").addInput("a")
                .addOutput("b").addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17))
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("F").setDomain("local").addInput("a").addOutput("b"))
                .build();
        Onnx.ModelProto m = model(Onnx.GraphProto.newBuilder().addInput(floatValue("x", 2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("F").setDomain("local").addInput("x").addOutput("y"))
                .addOutput(floatValue("y", 2))).toBuilder()
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1))
                .addFunctions(f).build();
        refused(modelFile("recursive.onnx", m), 3, "recursive");
    }

    // ---- 17: what is not a model file -------------------------------------------------------------------------

    @Test
    void item17FolderFifoDeviceEmptyMissing() throws Exception {
        refused(Files.createDirectories(dir.resolve("folder.onnx")), 3, "is a folder");
        Path fifo = dir.resolve("fifo.onnx");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        refused(fifo, 3, "not a regular file");
        CliRun zero = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of("inspect", "/dev/zero"));
        assertEquals(3, zero.exitCode(), zero.err());
        assertTrue(zero.err().contains("/dev/zero: is not a regular file"), zero.err());
        refused(write("empty.onnx", new byte[0]), 3, "empty");
        Path missing = dir.resolve("missing.onnx");
        CliRun r = CliRun.of("inspect", missing.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
    }

    // ---- 21: the command line ---------------------------------------------------------------------------------

    @Test
    void item21UnknownOptionsAndBadShapesAreUsageErrors() {
        String model = InspectCommandTest.example().toString();
        CliRun unknown = CliRun.of("inspect", model, "--frobnicate");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown.err());
        CliRun negative = CliRun.of("inspect", model, "--input-shape", "x:1x-3");
        assertEquals(ExitCodes.USAGE, negative.exitCode());
        assertTrue(negative.err().contains("invalid input shape 'x:1x-3': bad dimension '-3'"), negative.err());
        CliRun noDims = CliRun.of("inspect", model, "--input-shape", "input");
        assertEquals(ExitCodes.USAGE, noDims.exitCode());
        assertTrue(noDims.err().contains("expected NAME:DIMS[:DTYPE]"), noDims.err());
        CliRun badType = CliRun.of("inspect", model, "--input-shape", "input:1x3x32x32:float128");
        assertEquals(ExitCodes.USAGE, badType.exitCode());
        assertTrue(badType.err().contains("unknown data type 'float128'"), badType.err());
        CliRun noSuchInput = CliRun.of("inspect", model, "--input-shape", "nope:1x3x32x32");
        assertEquals(ExitCodes.USAGE, noSuchInput.exitCode(), noSuchInput.err());
        assertTrue(noSuchInput.err().contains("nope"), noSuchInput.err());
        CliRun wrongRank = CliRun.of("inspect", model, "--input-shape", "input:1x3");
        assertEquals(ExitCodes.USAGE, wrongRank.exitCode(), wrongRank.err());
        CliRun unknownCommand = CliRun.of("frobnicate");
        assertEquals(ExitCodes.USAGE, unknownCommand.exitCode());
        assertTrue(List.of(unknownCommand.err().split("\n")).get(0).contains("frobnicate"), unknownCommand.err());
    }
}
