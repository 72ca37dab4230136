package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelpAndVersionTest {

    @Test
    void everyCommandsHelpHasExamples() {
        // iterated from the model, so a command added later without examples fails here
        List<String> names = new ArrayList<>(MconvCommand.commandLine().getSubcommands().keySet());
        assertTrue(names.containsAll(List.of("inspect", "convert", "optimize", "shell", "completion", "help")), names.toString());
        for (String name : names) {
            CliRun r = CliRun.of(name, "--help");
            assertEquals(0, r.exitCode(), name + ": " + r.err());
            int at = r.out().indexOf("\nExamples:\n");
            assertTrue(at >= 0, name + " --help has no Examples section:\n" + r.out());
            String firstExample = r.out().substring(at + "\nExamples:\n".length()).lines().findFirst().orElse("");
            assertTrue(firstExample.matches("  (mconv|source|echo) .+"), name + ": first example line '"
                    + firstExample + "'");
        }
        CliRun root = CliRun.of("--help");
        assertTrue(root.out().contains("\nExamples:\n  mconv inspect model.onnx"), root.out());
        assertTrue(root.out().contains("Exit codes:"), root.out());
    }

    @Test
    void versionNamesJavaOnnxRuntimeAndDjl() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("mconv "), lines.get(0));
        assertEquals("Java " + System.getProperty("java.version"), lines.get(1).substring(0, lines.get(1).indexOf(" (")));
        // the manifest's version is the one the native library reports once loaded
        assertEquals("ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion(), lines.get(2));
        assertTrue(lines.get(3).matches("DJL \\d+\\.\\d+\\.\\d+, libtorch \\d+\\.\\d+\\.\\d+ \\(bundled: \\d+\\.\\d+\\.\\d+.*"),
                lines.get(3));
    }

    @Test
    void versionLoadsNeitherOnnxRuntimeNorLibtorch(@TempDir Path tmp) throws Exception {
        Path classLog = tmp.resolve("classes.log");
        ProcessBuilder pb = new ProcessBuilder(MainProcess.command(
                List.of("-Xlog:class+load=info:file=" + classLog), "--version"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ONNX Runtime "), out);
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains("io.mconv.cli.VersionProvider"), "the log records the classes loaded");
        // OnnxRuntime is the class that unpacks and loads libonnxruntime; DJL's Engine finds and loads libtorch
        assertFalse(loaded.contains("ai.onnxruntime.OnnxRuntime "), "ONNX Runtime's loader class was loaded");
        assertFalse(loaded.contains("ai.djl.engine.Engine "), "DJL's engine class was loaded");
    }
}
