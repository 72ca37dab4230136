package io.mconv.torch.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mconv.onnx.io.InvalidModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link ZipArchive} on raw file bytes (BAD_INPUTS 11 and 12): open, then read every entry under a small
 * cap and map every stored one. The contract: every step either works or throws {@link InvalidModelException};
 * what it returns stays inside the file and inside the cap. Seeds are real torch archives and hostile zips.
 */
class ZipArchiveFuzzTest {

    /** Small enough that a declared size cannot make the test allocate much; real seeds' entries fit. */
    private static final long READ_CAP = 1 << 20;

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void openZip(byte[] data) throws IOException {
        Path file = ScratchFile.overwrite(dir.resolve("fuzz.zip"), data);
        try (ZipArchive zip = ZipArchive.open(file)) {
            for (ArchiveEntry e : zip.entries()) {
                assertTrue(e.dataOffset() >= 0 && e.dataEnd() <= data.length,
                        () -> "entry " + e.name() + " lies outside the file");
                // Unsafe: a segment that climbs out ("a/../b", "..\\x"). "..!.." or "a..b" is an ordinary name
                // (the fuzzer's first such name, crash-ce20e569..., was flagged by a plain contains("..") here).
                assertFalse(e.name().isEmpty() || Arrays.asList(e.name().split("[/\\\\]", -1)).contains(".."),
                        () -> "unsafe name accepted: " + e.name());
                readOrRefuse(zip, e);
            }
        } catch (InvalidModelException e) {
            assertFalse(e.getMessage().contains("\n"), "refusal spans several lines");
        }
    }

    private static void readOrRefuse(ZipArchive zip, ArchiveEntry e) {
        try {
            byte[] bytes = zip.read(e, READ_CAP);
            assertEquals(e.size(), bytes.length, "read returned another size than declared");
        } catch (InvalidModelException refused) {
            assertFalse(refused.getMessage().isBlank());
        }
        if (e.isStored()) {
            try {
                ByteBuffer mapped = zip.map(e);
                assertEquals(e.size(), mapped.remaining(), "mapping of another size than declared");
            } catch (InvalidModelException refused) {
                assertFalse(refused.getMessage().isBlank());
            }
        }
    }
}
