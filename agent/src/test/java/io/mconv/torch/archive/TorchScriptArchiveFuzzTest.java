package io.mconv.torch.archive;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mconv.onnx.io.FileProblemException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link TorchScriptArchive#open} (BAD_INPUTS 11 to 16). Mutating a real zip byte by byte mostly breaks its
 * CRCs, so the fuzzer would never get past the zip layer: this target takes the archive's entries in a small
 * framing ({@link FuzzArchiveFile}) and writes a well-formed zip from them, so the mutations reach data.pkl,
 * constants.pkl, the version and byteorder records, storages and code files. The contract: an archive whose root
 * is a module, or {@link io.mconv.onnx.io.InvalidModelException} / {@link NotTorchScriptException}.
 */
class TorchScriptArchiveFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void openArchive(byte[] data) throws IOException {
        Path file = FuzzArchiveFile.write(data, dir.resolve("fuzz.pt"));
        try (TorchScriptArchive archive = TorchScriptArchive.open(file)) {
            assertNotNull(archive.root().className());
            assertTrue(archive.formatVersion() >= 1);
            archive.codeFileFor(archive.root().className()).ifPresent(code ->
                    assertTrue(code.entryName().startsWith("code/") && code.entryName().endsWith(".py")));
        } catch (FileProblemException e) {
            // InvalidModelException or NotTorchScriptException: both are input errors (exit 3).
            assertFalse(e.reason().isBlank(), "refusal without a reason");
            assertFalse(e.getMessage().contains("\n"), "refusal spans several lines");
        }
    }
}
