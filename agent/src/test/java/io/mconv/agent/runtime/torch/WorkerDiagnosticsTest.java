package io.mconv.agent.runtime.torch;

import io.mconv.agent.runtime.worker.JvmCrashHeader;
import io.mconv.agent.runtime.worker.WorkerExit;
import io.mconv.agent.runtime.worker.WorkerProcess;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a dead worker is described, where libtorch is extracted, and what a missing libtorch jar says. */
class WorkerDiagnosticsTest {

    @Test
    void exitStatusesAbove128AreSignals() {
        assertEquals("signal 9 (SIGKILL)", new WorkerExit(137).describe());
        assertEquals("signal 11 (SIGSEGV)", new WorkerExit(139).describe());
        assertEquals("signal 6 (SIGABRT)", new WorkerExit(134).describe());
        assertEquals("exit 1", new WorkerExit(1).describe());
        assertEquals(9, new WorkerExit(137).signal());
        assertEquals(0, new WorkerExit(3).signal());
    }

    @Test
    void theJvmCrashHeaderGivesTheSignalFrameAndReport() {
        List<String> tail = List.of("loading weights", "(stdout) #",
                "(stdout) # A fatal error has been detected by the Java Runtime Environment:",
                "(stdout) #  SIGSEGV (0xb) at pc=0x00007f, pid=42, tid=43",
                "(stdout) # Problematic frame:",
                "(stdout) # C  [libtorch_cpu.so+0x1234]  at::native::foo+0x10",
                "(stdout) # An error report file with more information is saved as:",
                "(stdout) # /tmp/mconv-torch-1/hs_err_pid42.log");
        JvmCrashHeader h = JvmCrashHeader.find(tail).orElseThrow();
        assertEquals("SIGSEGV", h.signal());
        assertEquals(11, h.number());
        assertEquals("C [libtorch_cpu.so+0x1234] at::native::foo+0x10", h.frame());
        assertEquals("/tmp/mconv-torch-1/hs_err_pid42.log", h.reportFile());
        assertEquals(List.of("loading weights"), JvmCrashHeader.withoutHeader(tail));
        assertTrue(JvmCrashHeader.find(List.of("just a line", "# not a header")).isEmpty());
    }

    @Test
    void cacheDirFollowsDjlsOrderAndAnExplicitFolderWins() {
        Properties props = new Properties();
        props.setProperty("user.home", "/nonexistent-home-for-test");
        props.setProperty("java.io.tmpdir", "/tmp");
        assertEquals(Path.of("/tmp/.djl.ai"), DjlCacheDir.resolve(null, props, Map.of()),
                "an unwritable home falls back to the temporary folder, as DJL does");
        assertEquals(Path.of("/d"), DjlCacheDir.resolve(null, props, Map.of("DJL_CACHE_DIR", "/d")));
        assertEquals(Path.of("/e"), DjlCacheDir.resolve(null, props, Map.of("DJL_CACHE_DIR", "/d",
                "ENGINE_CACHE_DIR", "/e")));
        props.setProperty("ENGINE_CACHE_DIR", "/p");
        assertEquals(Path.of("/p"), DjlCacheDir.resolve(null, props, Map.of("ENGINE_CACHE_DIR", "/e")),
                "a system property given to mconv's JVM beats the environment, and reaches the worker");
        assertEquals(Path.of("/c"), DjlCacheDir.resolve(Path.of("/c"), props, Map.of()));
    }

    @Test
    void theWorkersClassPathIsAbsoluteBecauseItRunsInItsOwnFolder() {
        String cwd = Path.of("").toAbsolutePath().toString();
        String sep = java.io.File.pathSeparator;
        assertEquals(cwd + "/lib/a.jar" + sep + "/abs/b.jar" + sep + cwd + "/lib/*",
                WorkerProcess.absoluteClassPath("lib/a.jar" + sep + sep + "/abs/b.jar" + sep + "lib/*"));
    }

    @Test
    void aMissingLibtorchJarSaysWhichAndHowToGetIt() {
        ClassLoader empty = new java.net.URLClassLoader(new java.net.URL[0], null);
        String message = LibtorchAvailability.problem(empty, "Linux", "amd64").orElseThrow();
        assertTrue(message.contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier linux-x86_64)"), message);
        assertTrue(message.contains("ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1"), message);
        assertTrue(message.contains("./install.sh"), message);
        String mac = LibtorchAvailability.problem(getClass().getClassLoader(), "Mac OS X", "aarch64").orElseThrow();
        assertTrue(mac.contains("this machine is osx-aarch64"), mac);
        assertEquals("linux-x86_64", LibtorchAvailability.classifier("Linux", "amd64"));
    }
}
