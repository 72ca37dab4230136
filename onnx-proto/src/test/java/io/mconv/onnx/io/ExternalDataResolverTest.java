package io.mconv.onnx.io;

import static io.mconv.onnx.io.TestModels.externalTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BAD_INPUTS items 7 and 8: path traversal (CVE-2022-25882, CVE-2024-27318 and variants), bad offsets/lengths. */
class ExternalDataResolverTest {
    @TempDir
    Path root;

    Path modelDir;
    Path modelFile;
    Path outside;
    ExternalDataResolver resolver;

    @BeforeEach
    void setUp() throws IOException {
        modelDir = Files.createDirectories(root.resolve("model"));
        modelFile = modelDir.resolve("model.onnx");
        Files.write(modelDir.resolve("weights.bin"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "root:x:0:0");
        resolver = new ExternalDataResolver(modelFile, modelDir);
    }

    private void assertRefused(TensorProto t, String cause) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> resolver.externalData(t));
        assertEquals(modelFile + ": tensor 'w': " + cause, e.getMessage());
        assertEquals(modelFile, e.file());
    }

    @Test
    void resolvesExactlyTheRegionAsALittleEndianReadOnlyView() {
        ByteBuffer b = resolver.externalData(externalTensor("w", "location", "weights.bin", "offset", "4", "length", "8"));
        assertEquals(8, b.remaining());
        assertTrue(b.isReadOnly() && b.isDirect(), "a read-only mapping, not a heap copy");
        assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
        assertEquals(0x07060504, b.getInt(0));
    }

    @Test
    void lengthDefaultsToTheRestOfTheFile() {
        assertEquals(6, resolver.externalData(externalTensor("w", "location", "weights.bin", "offset", "10")).remaining());
        assertEquals(0, resolver.externalData(externalTensor("w", "location", "weights.bin", "offset", "16")).remaining());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/etc/passwd|is an absolute path; it must be relative to the model's folder",
        "\\etc\\passwd|is an absolute path; it must be relative to the model's folder",
        "\\\\server\\share\\x|is an absolute path; it must be relative to the model's folder",
        "C:\\Windows\\win.ini|is an absolute (drive-letter) path; it must be relative to the model's folder",
        "c:weights.bin|is an absolute (drive-letter) path; it must be relative to the model's folder",
        "../outside/secret|contains a '..' segment; it must stay inside the model's folder",
        "..|contains a '..' segment; it must stay inside the model's folder",
        "a/../../outside/secret|contains a '..' segment; it must stay inside the model's folder",
        "a/..|contains a '..' segment; it must stay inside the model's folder",
        "..\\outside\\secret|contains a '..' segment; it must stay inside the model's folder",
        "sub/..\\..\\x|contains a '..' segment; it must stay inside the model's folder",
    })
    void refusesTraversalByShape(String location, String cause) {
        assertRefused(externalTensor("w", "location", location), "external data location '" + location + "' " + cause);
    }

    @Test
    void refusesNulByte() {
        assertRefused(externalTensor("w", "location", "weights.bin\0.txt"),
                "external data location 'weights.bin\\x00.txt' contains a NUL byte");
    }

    @Test
    void refusesEmptyLocation() {
        assertRefused(externalTensor("w", "location", ""), "external data location '' is empty");
    }

    @Test
    void refusesSymlinkToAFileOutside() throws IOException {
        Files.createSymbolicLink(modelDir.resolve("link.bin"), outside.resolve("secret"));
        Path real = outside.resolve("secret").toRealPath();
        assertRefused(externalTensor("w", "location", "link.bin"), "external data location 'link.bin' resolves"
                + " outside the model's folder through a symbolic link (to " + real + ")");
    }

    @Test
    void refusesSymlinkedFolderOutside() throws IOException {
        Files.createSymbolicLink(modelDir.resolve("sub"), outside);
        Path real = outside.resolve("secret").toRealPath();
        assertRefused(externalTensor("w", "location", "sub/secret"), "external data location 'sub/secret' resolves"
                + " outside the model's folder through a symbolic link (to " + real + ")");
    }

    @Test
    void allowsSymlinkThatStaysInside() throws IOException {
        Files.createSymbolicLink(modelDir.resolve("alias.bin"), modelDir.resolve("weights.bin"));
        assertEquals(16, resolver.externalData(externalTensor("w", "location", "alias.bin")).remaining());
    }

    @Test
    void refusesHardLink() throws IOException {
        // CVE-2024-27318: a hard link inside the folder to a file outside looks like an ordinary file.
        Files.createLink(modelDir.resolve("hard.bin"), outside.resolve("secret"));
        assertRefused(externalTensor("w", "location", "hard.bin"), "external data file 'hard.bin' has 2 hard links;"
                + " refused because a hard link can reach outside the model's folder");
    }

    @Test
    void refusesTheModelFolderItself() {
        assertRefused(externalTensor("w", "location", "."), "external data location '.' names the model's folder, not a file");
    }

    @Test
    void refusesFolderAndFifo() throws Exception {
        Files.createDirectory(modelDir.resolve("dir.bin"));
        assertRefused(externalTensor("w", "location", "dir.bin"), "external data location 'dir.bin' is not a regular file");
        Path fifo = modelDir.resolve("pipe.bin");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
        assertRefused(externalTensor("w", "location", "pipe.bin"), "external data location 'pipe.bin' is not a regular file");
    }

    @Test
    void refusesMissingFile() {
        assertRefused(externalTensor("w", "location", "absent.bin"), "external data file 'absent.bin' does not exist");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "offset|-1|external_data offset '-1' is not a non-negative decimal integer",
        "length|-16|external_data length '-16' is not a non-negative decimal integer",
        "offset|abc|external_data offset 'abc' is not a non-negative decimal integer",
        "length|1e3|external_data length '1e3' is not a non-negative decimal integer",
        "offset|+4|external_data offset '+4' is not a non-negative decimal integer",
        "offset|0x10|external_data offset '0x10' is not a non-negative decimal integer",
        "length|''|external_data length '' is not a non-negative decimal integer",
        "offset|99999999999999999999|external_data offset '99999999999999999999' does not fit a 64-bit integer",
        "offset|17|external data offset 17 is past the end of 'weights.bin' (16 bytes)",
        "offset|9223372036854775807|external data offset 9223372036854775807 is past the end of 'weights.bin' (16 bytes)",
        "length|17|external data offset 0 + length 17 is past the end of 'weights.bin' (16 bytes)",
        "length|9223372036854775807|external data offset 0 + length 9223372036854775807 is past the end of 'weights.bin' (16 bytes)",
    })
    void refusesBadOffsetsAndLengths(String key, String value, String cause) {
        assertRefused(externalTensor("w", "location", "weights.bin", key, value), cause);
    }

    @Test
    void refusesOffsetPlusLengthPastEndWithoutOverflow() {
        assertRefused(externalTensor("w", "location", "weights.bin", "offset", "8", "length", "9223372036854775807"),
                "external data offset 8 + length 9223372036854775807 is past the end of 'weights.bin' (16 bytes)");
    }

    @Test
    void refusesUnknownDuplicateAndMissingKeys() {
        assertRefused(externalTensor("w", "location", "weights.bin", "basepath", "/etc"),
                "unknown external_data key 'basepath' (expected location, offset, length, checksum)");
        assertRefused(externalTensor("w", "location", "weights.bin", "location", "other.bin"),
                "external_data key 'location' is given twice");
        assertRefused(externalTensor("w", "offset", "0", "length", "4"), "external_data has no 'location'");
    }

    @Test
    void inMemoryModelHasNoFolder() {
        ExternalDataResolver none = new ExternalDataResolver(null, null);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> none.externalData(externalTensor("w", "location", "weights.bin")));
        assertEquals("<in-memory model>: tensor 'w': external data 'weights.bin' cannot be resolved: the model was"
                + " not read from a folder", e.getMessage());
    }

    @Test
    void closeReleasesChannelsAndRefusesFurtherUse() {
        resolver.externalData(externalTensor("w", "location", "weights.bin"));
        resolver.close();
        assertThrows(IllegalStateException.class,
                () -> resolver.externalData(externalTensor("w", "location", "weights.bin")));
    }
}
