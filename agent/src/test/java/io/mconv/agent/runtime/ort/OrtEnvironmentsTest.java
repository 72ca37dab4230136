package io.mconv.agent.runtime.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.ir.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's empty telemetry trace log ({@code mat-debug-PID.log}) does not outlive the environment's creation. */
class OrtEnvironmentsTest {

    @TempDir
    Path dir;

    @Test
    void theTraceLogIsInTmpdirElseTmp() {
        assertEquals(Path.of("/tmp/mat-debug-42.log"), OrtEnvironments.traceLog(Map.of(), 42));
        assertEquals(Path.of("/tmp/mat-debug-42.log"), OrtEnvironments.traceLog(Map.of("TMPDIR", ""), 42));
        assertEquals(Path.of("/scratch/mat-debug-7.log"), OrtEnvironments.traceLog(Map.of("TMPDIR", "/scratch"), 7));
        assertEquals(Path.of("/scratch/mat-debug-7.log"), OrtEnvironments.traceLog(Map.of("TMPDIR", "/scratch/"), 7));
    }

    /** The removal with this test's folder as TMPDIR, for process {@code pid}. */
    private boolean removeInTestFolder(long pid) {
        return OrtEnvironments.removeEmptyTraceLog(Map.of("TMPDIR", dir.toString()), pid);
    }

    @Test
    void anEmptyTraceLogOfThisProcessIsRemoved() throws Exception {
        Path log = Files.createFile(dir.resolve("mat-debug-123.log"));
        assertTrue(removeInTestFolder(123));
        assertFalse(Files.exists(log));
    }

    @Test
    void aTraceLogWithContentIsKept() throws Exception {
        Path log = Files.writeString(dir.resolve("mat-debug-123.log"), "trace someone turned on\n");
        assertFalse(removeInTestFolder(123));
        assertTrue(Files.exists(log));
    }

    @Test
    void anotherProcesssLogAndOtherFilesAreLeftAlone() throws Exception {
        Path other = Files.createFile(dir.resolve("mat-debug-124.log"));
        Path unrelated = Files.createFile(dir.resolve("mat-debug-123.txt"));
        assertFalse(removeInTestFolder(123));
        assertTrue(Files.exists(other));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void aDirectoryOfThatNameIsLeftAlone() throws Exception {
        Path notAFile = Files.createDirectory(dir.resolve("mat-debug-123.log"));
        assertFalse(removeInTestFolder(123));
        assertTrue(Files.isDirectory(notAFile));
    }

    /** Real ONNX Runtime: after a session has opened, this process has no trace log where ORT puts it. */
    @Test
    void afterOpeningASessionThisProcessHasNoTraceLog() {
        try (ModelRunner runner = OrtModelRunner.open(Fixtures.generated("tiny_cnn.onnx"),
                OrtSessionConfig.forValidation())) {
            assertFalse(runner.inputs().isEmpty());
        }
        Path log = OrtEnvironments.traceLog(System.getenv(), ProcessHandle.current().pid());
        assertFalse(Files.exists(log), "ONNX Runtime's empty trace log was removed: " + log);
    }
}
