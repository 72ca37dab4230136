package io.mconv.onnx.io;

import static io.mconv.onnx.io.TestModels.concat;
import static io.mconv.onnx.io.TestModels.field;
import static io.mconv.onnx.io.TestModels.varint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BAD_INPUTS items 1, 2, 3 and 17, plus the reader's positive paths. */
class ModelReaderTest {
    private static final String TRUNCATED = "not a valid ONNX protobuf: truncated: the input ends in the middle of a"
            + " field, or a length field claims more bytes than remain";

    @TempDir
    Path dir;

    private final ModelReader reader = new ModelReader();

    private InvalidModelException refuse(Path file) {
        return assertThrows(InvalidModelException.class, () -> reader.read(file));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private void assertLine(InvalidModelException e, Path file, String reason) {
        assertEquals(file, e.file());
        assertEquals(reason, e.reason());
        assertEquals(file + ": " + reason, e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void truncatedMidField() throws IOException {
        // ir_version = 7, then producer_name claiming 10 bytes of which 3 are present.
        Path f = write("mid-field.onnx", concat(new byte[] {0x08, 0x07, 0x12, 0x0A}, "abc".getBytes(StandardCharsets.US_ASCII)));
        assertLine(refuse(f), f, TRUNCATED);
    }

    @Test
    void truncatedMidVarint() throws IOException {
        // ir_version tag, then a varint whose continuation bits promise more bytes than the file has.
        Path f = write("mid-varint.onnx", new byte[] {0x08, (byte) 0x80, (byte) 0x80});
        assertLine(refuse(f), f, TRUNCATED);
    }

    @Test
    void truncatedRealModel() throws IOException {
        byte[] full = TestModels.everywhere(16).toByteArray();
        Path f = write("cut.onnx", java.util.Arrays.copyOf(full, full.length / 2));
        assertLine(refuse(f), f, TRUNCATED);
    }

    @Test
    void notProtobufZip() throws IOException {
        // A zip (a .pt archive): 'P' 'K' parse as a varint field, then 0x03 is a tag with field number 0.
        Path f = write("model.pt", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});
        assertLine(refuse(f), f, "not a valid ONNX protobuf: invalid field tag");
    }

    @Test
    void notProtobufText() throws IOException {
        Path f = write("readme.onnx", "hello, this is not an ONNX model\n".getBytes(StandardCharsets.US_ASCII));
        InvalidModelException e = refuse(f);
        assertTrue(e.getMessage().startsWith(f + ": not a valid ONNX protobuf: "), e.getMessage());
    }

    @Test
    void protobufWithoutGraph() throws IOException {
        Path f = write("nograph.onnx", ModelProto.newBuilder().setIrVersion(9).build().toByteArray());
        assertLine(refuse(f), f, "parsed as protobuf but has no graph; not an ONNX model");
    }

    @Test
    void lengthClaimingTwoGigabytesInATinyFile() throws IOException {
        // graph (field 7) claims 2,000,000,000 bytes; the file has 5 more.
        Path f = write("huge-claim.onnx", concat(new byte[] {0x3A}, varint(2_000_000_000L), new byte[] {1, 2, 3, 4, 5}));
        long before = usedHeap();
        assertLine(refuse(f), f, TRUNCATED);
        assertTrue(usedHeap() - before < 256L << 20, "no allocation of the claimed size");
    }

    @Test
    void rawDataClaimingTwoGigabytesDeepInside() throws IOException {
        // model.graph.initializer.raw_data with a length of 2^31 - 1 and four bytes behind it.
        byte[] raw = concat(new byte[] {0x4A}, varint(Integer.MAX_VALUE), new byte[] {9, 9, 9, 9});
        byte[] tensor = concat(new byte[] {0x42}, varint("w".length()), "w".getBytes(StandardCharsets.US_ASCII), raw);
        byte[] graph = field(5, tensor);
        Path f = write("huge-raw.onnx", field(7, graph));
        assertLine(refuse(f), f, TRUNCATED);
    }

    @Test
    void tenThousandNestedSubgraphs() throws IOException {
        // graph { node { attribute { g: graph { node { attribute { g: ... } } } } } }, 10,000 levels.
        byte[] g = new byte[0];
        for (int i = 0; i < 10_000; i++) {
            byte[] attribute = field(6, g);
            byte[] node = field(5, attribute);
            g = field(1, node);
        }
        Path f = write("deep-subgraphs.onnx", field(7, g));
        assertLine(refuse(f), f, "not a valid ONNX protobuf: nesting deeper than 64 message levels: "
                + "exceeds limit protobuf-depth=64; raise it with --limit protobuf-depth=N");
    }

    @Test
    void tenThousandNestedUnknownGroups() throws IOException {
        // Field 100 as a group (wire type 3), opened 10,000 times then closed: unknown fields recurse too.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(field(7, new byte[0]));
        for (int i = 0; i < 10_000; i++) {
            out.writeBytes(varint((100 << 3) | 3));
        }
        for (int i = 0; i < 10_000; i++) {
            out.writeBytes(varint((100 << 3) | 4));
        }
        Path f = write("deep-groups.onnx", out.toByteArray());
        assertLine(refuse(f), f, "not a valid ONNX protobuf: nesting deeper than 64 message levels: "
                + "exceeds limit protobuf-depth=64; raise it with --limit protobuf-depth=N");
    }

    @Test
    void folder() throws IOException {
        Path f = Files.createDirectory(dir.resolve("model.onnx"));
        assertLine(refuse(f), f, "is a folder, not an ONNX model file");
    }

    @Test
    void fifo() throws Exception {
        Path f = dir.resolve("pipe.onnx");
        Process p = new ProcessBuilder("mkfifo", f.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        // Would block forever if the reader opened it.
        assertLine(assertTimeoutRefusal(f), f, "is not a regular file (a FIFO, device or socket); refusing to read it");
    }

    private InvalidModelException assertTimeoutRefusal(Path f) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> refuse(f));
    }

    @Test
    void devZero() {
        Path f = Path.of("/dev/zero");
        assertLine(assertTimeoutRefusal(f), f, "is not a regular file (a FIFO, device or socket); refusing to read it");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = write("empty.onnx", new byte[0]);
        assertLine(refuse(f), f, "empty file (0 bytes), not an ONNX model");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.onnx");
        assertLine(refuse(f), f, "no such file");
    }

    @Test
    void overTwoGigabytes() throws IOException {
        Path f = dir.resolve("big.onnx");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength((1L << 31) + 1); // sparse: costs no disk
        }
        assertLine(refuse(f), f, "file is 2147483649 bytes; protobuf files cannot exceed 2 GiB;"
                + " weights over that must be external data");
    }

    /**
     * Root reads a mode-000 file anyway (CAP_DAC_OVERRIDE), so as root the read runs in a child JVM started by
     * {@code setpriv} with the two DAC-override capabilities dropped: the same code, the same file, a real EACCES.
     */
    @Test
    void unreadableFile() throws Exception {
        Path f = write("secret.onnx", TestModels.model(TestModels.graph("g")).toByteArray());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(f)) {
            assertLine(refuse(f), f, "permission denied");
            return;
        }
        Path setpriv = Path.of("/usr/bin/setpriv");
        assertTrue(Files.isExecutable(setpriv), "running as root, this test drops the file-read capabilities with "
                + "setpriv, which is missing: sudo apt-get install -y util-linux");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(setpriv.toString(),
                "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search",
                java, "-cp", System.getProperty("java.class.path"), ReadProbe.class.getName(), f.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(f + ": permission denied", out);
        assertEquals(3, p.exitValue());
    }

    @Test
    void inMemoryBytesErrorHasNoFile() {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> reader.read(new byte[] {0x08, (byte) 0x80}));
        assertNull(e.file());
        assertEquals("<in-memory model>: " + TRUNCATED, e.getMessage());
    }

    @Test
    void inlineRoundTripIsByteForByte() throws IOException {
        byte[] bytes = TestModels.everywhere(100).toByteArray();
        Path f = write("model.onnx", bytes);
        try (LoadedModel m = reader.read(f)) {
            assertArrayEquals(bytes, m.model().toByteArray());
            assertEquals(f, m.source());
            assertEquals(dir.toAbsolutePath(), m.baseDir());
        }
    }

    /**
     * protobuf-java 4.36 cannot alias a mapped file (see ModelReader), so the honest property is "one copy": the
     * file's bytes are read once and raw_data is a view of that array, not a second copy of the weights.
     */
    @Test
    void rawDataIsNotCopiedASecondTime() throws IOException {
        int floats = 32 << 20; // 128 MiB of weights
        Path f = dir.resolve("big-inline.onnx");
        try (var out = Files.newOutputStream(f)) {
            TestModels.model(TestModels.graph("g", TestModels.rawTensor("w", floats, 7))).writeTo(out);
        }
        long fileSize = Files.size(f);
        long before = usedHeap();
        try (LoadedModel m = reader.read(f)) {
            long grown = usedHeap() - before;
            TensorProto w = m.model().getGraph().getInitializer(0);
            assertEquals(floats * 4, w.getRawData().size());
            assertTrue(grown < fileSize * 3 / 2, "heap grew by " + grown + " bytes for a " + fileSize
                    + "-byte file: raw_data must alias the file's bytes, not copy them again");
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
