package io.mconv.agent.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's command line: where its temporary files go and which runtime settings it inherits. */
class WorkerProcessTest {

    private static final Path WORK_DIR = Path.of("/tmp/mconv-test-1");

    private static WorkerSpec spec(Map<String, String> properties) {
        return new WorkerSpec("onnxruntime", "ort", "some.Main", List.of("model.onnx"), "512m",
                Duration.ofSeconds(60), Duration.ofSeconds(10), properties);
    }

    private static long count(List<String> command, String prefix) {
        return command.stream().filter(a -> a.startsWith(prefix)).count();
    }

    @Test
    void theWorkersTemporaryFolderIsItsPrivateFolder() {
        List<String> c = WorkerProcess.command(spec(Map.of()), WORK_DIR, null);
        assertTrue(c.contains("-Djava.io.tmpdir=" + WORK_DIR), c.toString());
        assertEquals(1, count(c, "-Djava.io.tmpdir="), c.toString());
        assertTrue(c.contains("-XX:ErrorFile=" + WORK_DIR.resolve("hs_err_pid%p.log")), c.toString());
        // Options come before the main class, or java would pass them to main as arguments.
        assertTrue(c.indexOf("-Djava.io.tmpdir=" + WORK_DIR) < c.indexOf("some.Main"), c.toString());
    }

    @Test
    void withoutInstalledOrtLibrariesNothingIsForwarded() {
        List<String> c = WorkerProcess.command(spec(Map.of()), WORK_DIR, null);
        assertEquals(0, count(c, "-D" + WorkerProcess.ORT_NATIVE_PATH), c.toString());
    }

    @Test
    void theInstalledOrtLibrariesAreForwarded() {
        List<String> c = WorkerProcess.command(spec(Map.of()), WORK_DIR, "/opt/mconv/native/onnxruntime");
        assertTrue(c.contains("-D" + WorkerProcess.ORT_NATIVE_PATH + "=/opt/mconv/native/onnxruntime"),
                c.toString());
        assertTrue(c.indexOf("-D" + WorkerProcess.ORT_NATIVE_PATH + "=/opt/mconv/native/onnxruntime")
                < c.indexOf("some.Main"), c.toString());
    }

    @Test
    void aWorkerSpecsOwnOrtPathWins() {
        List<String> c = WorkerProcess.command(spec(Map.of(WorkerProcess.ORT_NATIVE_PATH, "/own")), WORK_DIR,
                "/installed");
        assertTrue(c.contains("-D" + WorkerProcess.ORT_NATIVE_PATH + "=/own"), c.toString());
        assertFalse(c.contains("-D" + WorkerProcess.ORT_NATIVE_PATH + "=/installed"), c.toString());
    }
}
