package io.mconv.onnx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check before any model input is opened. */
class ReadableFileTest {

    @TempDir
    Path dir;

    private static String refusal(Path file, String kind) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ReadableFile.require(file, kind));
        assertEquals(file, e.file());
        return e.getMessage();
    }

    @Test
    void aRegularFileAndALinkToOnePass() throws Exception {
        Path model = Files.writeString(dir.resolve("m.onnx"), "bytes");
        ReadableFile.require(model, "an ONNX model file");
        Path link = Files.createSymbolicLink(dir.resolve("link.onnx"), model);
        ReadableFile.require(link, "an ONNX model file");
        assertEquals("bytes", Files.readString(model), "not modified");
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("missing.onnx");
        assertEquals(missing + ": no such file", refusal(missing, "an ONNX model file"));
    }

    @Test
    void aFolderIsNamedAsTheKindItShouldBe() {
        assertEquals(dir + ": is a folder, not a model file", refusal(dir, "a model file"));
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe.onnx");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        // Opening it would block this test forever; the check reads attributes only.
        assertEquals(fifo + ": is not a regular file (a FIFO, device or socket); refusing to read it",
                refusal(fifo, "a model file"));
    }

    @Test
    void aDanglingLinkIsAMissingFile() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("dangling.onnx"), dir.resolve("gone.onnx"));
        assertEquals(link + ": no such file", refusal(link, "a model file"));
    }

    @Test
    void aPathThroughAFileSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path through = file.resolve("m.onnx");
        assertEquals(through + ": cannot read file: Not a directory", refusal(through, "a model file"));
    }
}
