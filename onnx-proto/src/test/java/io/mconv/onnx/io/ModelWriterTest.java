package io.mconv.onnx.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing: inline and external round trips, AUTO, atomicity (BAD_INPUTS 10, 18, 19). */
class ModelWriterTest {
    @TempDir
    Path dir;

    private final ModelWriter writer = new ModelWriter();
    private final ModelReader reader = new ModelReader();

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Every tensor's data, inline or external, in visiting order. */
    private static List<byte[]> tensorData(LoadedModel m) {
        return ModelTensors.list(m.model()).stream()
                .map(t -> ModelWriter.isExternal(t) ? bytes(m.externalData(t)) : t.getRawData().toByteArray())
                .toList();
    }

    private List<String> folder() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void inlineWriteIsByteForByte() throws IOException {
        ModelProto model = TestModels.everywhere(50);
        Path out = dir.resolve("out.onnx");
        WriteResult r = writer.write(model, out, WriteOptions.defaults().withPolicy(ExternalDataPolicy.NEVER));
        assertArrayEquals(model.toByteArray(), Files.readAllBytes(out));
        assertNull(r.dataFile());
        assertEquals(List.of("out.onnx"), folder());
    }

    @Test
    void beforeCommitSeesTheCompleteFileAndItsRefusalKeepsTheOldOne() throws IOException {
        ModelProto model = TestModels.everywhere(50);
        Path out = dir.resolve("out.onnx");
        Files.write(out, new byte[] {1, 2, 3});
        byte[][] seen = new byte[1][];
        IOException refused = assertThrows(IOException.class, () -> writer.write(model, out,
                WriteOptions.defaults().withPolicy(ExternalDataPolicy.NEVER), staged -> {
                    assertTrue(staged.selfContained());
                    assertNotEquals(out, staged.modelFile());
                    seen[0] = Files.readAllBytes(staged.modelFile());
                    throw new IOException("checked and refused");
                }));
        assertEquals("checked and refused", refused.getMessage());
        assertArrayEquals(model.toByteArray(), seen[0], "the hook sees the whole model before the commit");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out), "the old file stays");
        assertEquals(List.of("out.onnx"), folder(), "no temporaries left");

        WriteResult r = writer.write(model, out, WriteOptions.defaults().withPolicy(ExternalDataPolicy.ALWAYS)
                .withThresholdBytes(0), staged -> assertFalse(staged.selfContained()));
        assertEquals(dir.resolve("out.onnx.data"), r.dataFile());
        assertEquals(List.of("out.onnx", "out.onnx.data"), folder());
    }

    @Test
    void externalRoundTripWithThresholdZero() throws IOException {
        ModelProto model = TestModels.everywhere(300);
        int tensors = ModelTensors.list(model).size();
        assertEquals(14, tensors, "the test model has tensors in every place (see TestModels.everywhere)");
        Path out = dir.resolve("out.onnx");
        WriteResult r = writer.write(model, out,
                WriteOptions.defaults().withPolicy(ExternalDataPolicy.ALWAYS).withThresholdBytes(0));
        assertEquals(dir.resolve("out.onnx.data"), r.dataFile());
        assertEquals(tensors, r.externalTensors());
        assertEquals(List.of("out.onnx", "out.onnx.data"), folder());
        try (LoadedModel back = reader.read(out)) {
            for (TensorProto t : ModelTensors.list(back.model())) {
                assertTrue(ModelWriter.isExternal(t), t.getName() + " should be external");
                assertFalse(t.hasRawData());
                ExternalDataLocation loc = ExternalDataLocation.parse(t, out);
                assertEquals("out.onnx.data", loc.location());
                assertEquals(0, loc.offset() % 4096, "aligned offsets");
            }
            List<byte[]> expected = ModelTensors.list(model).stream().map(t -> t.getRawData().toByteArray()).toList();
            List<byte[]> actual = tensorData(back);
            for (int i = 0; i < tensors; i++) {
                assertArrayEquals(expected.get(i), actual.get(i), "tensor " + i);
            }
            // Writing it back inline restores the original bytes exactly.
            Path inline = dir.resolve("inline.onnx");
            writer.write(back.model(), inline, WriteOptions.forInput(back).withPolicy(ExternalDataPolicy.NEVER));
            assertArrayEquals(model.toByteArray(), Files.readAllBytes(inline));
        }
    }

    @Test
    void thresholdKeepsSmallTensorsInline() throws IOException {
        ModelProto model = TestModels.model(TestModels.graph("g",
                TestModels.rawTensor("small", 10, 1), TestModels.rawTensor("big", 1000, 2)));
        Path out = dir.resolve("m.onnx");
        WriteResult r = writer.write(model, out, WriteOptions.defaults().withPolicy(ExternalDataPolicy.ALWAYS));
        assertEquals(1, r.externalTensors());
        try (LoadedModel back = reader.read(out)) {
            assertFalse(ModelWriter.isExternal(back.model().getGraph().getInitializer(0)));
            assertTrue(ModelWriter.isExternal(back.model().getGraph().getInitializer(1)));
        }
    }

    @Test
    void autoGoesExternalPastTheLimitOnly() throws IOException {
        ModelProto model = TestModels.everywhere(300); // about 20 KB
        WriteOptions small = WriteOptions.defaults().withInlineLimitBytes(10_000);
        WriteResult r = writer.write(model, dir.resolve("auto.onnx"), small);
        assertEquals(dir.resolve("auto.onnx.data"), r.dataFile());
        assertTrue(r.modelBytes() < 10_000);
        WriteResult inline = writer.write(model, dir.resolve("auto2.onnx"), WriteOptions.defaults());
        assertNull(inline.dataFile());
    }

    @Test
    void neverRefusesAModelOverTheLimit() {
        ModelProto model = TestModels.everywhere(300);
        Path out = dir.resolve("never.onnx");
        OutputPathException e = assertThrows(OutputPathException.class, () -> writer.write(model, out,
                WriteOptions.defaults().withPolicy(ExternalDataPolicy.NEVER).withInlineLimitBytes(10_000)));
        assertEquals(out + ": the model would be " + model.getSerializedSize()
                + " bytes inline, over the 10000-byte protobuf limit; write it with external data", e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void externalInputIsStreamedToTheNewDataFile() throws IOException {
        Path in = dir.resolve("in.onnx");
        ModelProto model = TestModels.everywhere(300);
        writer.write(model, in, WriteOptions.defaults().withPolicy(ExternalDataPolicy.ALWAYS).withThresholdBytes(0));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        try (LoadedModel loaded = reader.read(in)) {
            Path out = sub.resolve("copy.onnx");
            writer.write(loaded.model(), out, WriteOptions.forInput(loaded).withPolicy(ExternalDataPolicy.ALWAYS)
                    .withDataFileName("weights.bin"));
            try (LoadedModel back = reader.read(out)) {
                List<byte[]> a = tensorData(loaded);
                List<byte[]> b = tensorData(back);
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i), b.get(i));
                }
                assertTrue(back.inputFiles().contains(sub.resolve("weights.bin").toRealPath()));
            }
        }
    }

    @Test
    void failureHalfwayLeavesThePreviousFileAndNoTemporaries() throws IOException {
        Path out = dir.resolve("model.onnx");
        byte[] previous = TestModels.model(TestModels.graph("old")).toByteArray();
        Files.write(out, previous);
        Files.write(dir.resolve("model.onnx.data"), new byte[] {42});
        ModelProto model = TestModels.model(TestModels.graph("new",
                TestModels.rawTensor("first", 4096, 1),
                TestModels.externalTensor("second", "location", "x"),
                TestModels.externalTensor("third", "location", "y")));
        int[] calls = {0};
        TensorDataSource failing = t -> {
            if (++calls[0] > 1) {
                throw new InvalidModelException(Path.of("in.onnx"), "tensor '" + t.getName() + "': disk went away");
            }
            return ByteBuffer.allocate(4096);
        };
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> writer.write(model, out,
                WriteOptions.defaults().withPolicy(ExternalDataPolicy.ALWAYS).withSource(failing)));
        assertEquals("in.onnx: tensor 'third': disk went away", e.getMessage());
        assertArrayEquals(previous, Files.readAllBytes(out));
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(dir.resolve("model.onnx.data")));
        assertEquals(List.of("model.onnx", "model.onnx.data"), folder(), "no temporary files left");
    }

    @Test
    void refusesOutputEqualToInput() throws IOException {
        Path in = dir.resolve("in.onnx");
        Files.write(in, TestModels.model(TestModels.graph("g")).toByteArray());
        byte[] before = Files.readAllBytes(in);
        try (LoadedModel m = reader.read(in)) {
            OutputPathException e = assertThrows(OutputPathException.class,
                    () -> writer.write(m.model(), dir.resolve("./in.onnx"), WriteOptions.forInput(m)));
            assertEquals(dir.resolve("./in.onnx") + ": is the input file " + in
                    + " (or a link to it); refusing to overwrite the input", e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void refusesOutputThatIsASymlinkToTheInput() throws IOException {
        Path in = dir.resolve("in.onnx");
        Files.write(in, TestModels.model(TestModels.graph("g")).toByteArray());
        Path link = Files.createSymbolicLink(dir.resolve("out.onnx"), in);
        try (LoadedModel m = reader.read(in)) {
            OutputPathException e = assertThrows(OutputPathException.class,
                    () -> writer.write(m.model(), link, WriteOptions.forInput(m)));
            assertEquals(link + ": is the input file " + in + " (or a link to it); refusing to overwrite the input",
                    e.getMessage());
        }
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void refusesDataFileThatWouldOverwriteTheInputsDataFile() throws IOException {
        Path in = dir.resolve("in.onnx");
        writer.write(TestModels.everywhere(300), in,
                WriteOptions.defaults().withPolicy(ExternalDataPolicy.ALWAYS).withDataFileName("shared.data"));
        byte[] before = Files.readAllBytes(dir.resolve("shared.data"));
        try (LoadedModel m = reader.read(in)) {
            Path out = dir.resolve("out.onnx");
            WriteOptions opts = WriteOptions.forInput(m).withPolicy(ExternalDataPolicy.ALWAYS).withDataFileName("shared.data");
            OutputPathException e = assertThrows(OutputPathException.class, () -> writer.write(m.model(), out, opts));
            assertEquals(out + ": its external data file " + dir.resolve("shared.data")
                    + " would overwrite the input's file " + dir.resolve("shared.data").toRealPath(), e.getMessage());
            // Protected even when the caller forgot to pass the input's files.
            OutputPathException e2 = assertThrows(OutputPathException.class,
                    () -> writer.write(m.model(), out, opts.withProtectedPaths(Set.of())));
            assertTrue(e2.getMessage().endsWith("would overwrite the input's external data file "
                    + dir.resolve("shared.data").toRealPath()), e2.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("shared.data")));
        assertFalse(Files.exists(dir.resolve("out.onnx")));
    }

    @Test
    void refusesDataFileThatWouldOverwriteTheInputModel() throws IOException {
        Path in = dir.resolve("in.onnx");
        Files.write(in, TestModels.everywhere(300).toByteArray());
        try (LoadedModel m = reader.read(in)) {
            Path out = dir.resolve("out.onnx");
            OutputPathException e = assertThrows(OutputPathException.class, () -> writer.write(m.model(), out,
                    WriteOptions.forInput(m).withPolicy(ExternalDataPolicy.ALWAYS).withDataFileName("in.onnx")));
            assertEquals(out + ": its external data file " + in + " would overwrite the input's file " + in,
                    e.getMessage());
        }
    }

    @Test
    void refusesDataFileNamesOutsideTheFolder() {
        ModelProto model = TestModels.everywhere(10);
        Path out = dir.resolve("out.onnx");
        for (String name : new String[] {"../x.data", "sub/x.data", "..", "a\\b", ""}) {
            OutputPathException e = assertThrows(OutputPathException.class, () -> writer.write(model, out,
                    WriteOptions.defaults().withPolicy(ExternalDataPolicy.ALWAYS).withDataFileName(name)));
            assertEquals(out + ": external data file name '" + name + "' must be a plain file name in the output's"
                    + " folder", e.getMessage());
        }
    }

    @Test
    void refusesMissingFolderAndFolderAsOutput() {
        ModelProto model = TestModels.everywhere(10);
        Path missing = dir.resolve("nope/out.onnx");
        assertEquals(missing + ": the output folder does not exist", assertThrows(OutputPathException.class,
                () -> writer.write(model, missing, WriteOptions.defaults())).getMessage());
        assertEquals(dir + ": is a folder; give a file name for the output model", assertThrows(
                OutputPathException.class, () -> writer.write(model, dir, WriteOptions.defaults())).getMessage());
    }
}
