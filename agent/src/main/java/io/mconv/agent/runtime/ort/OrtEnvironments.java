package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime's process-wide environment, without what its telemetry client leaves behind. ORT 1.29's Linux
 * library starts that client when the environment is created, unless {@code ORT_DISABLE_TELEMETRY=1} is in the
 * environment (the launcher sets it; so do workers): it writes a session file {@code .ses} and opens an empty trace
 * log {@code mat-debug-PID.log} in {@code $TMPDIR} (or /tmp), and never removes the log: one file per process that
 * ran a model, outside anything the user named. When mconv runs without the launcher ({@code java -jar}), events are
 * turned off as soon as the environment exists and the empty log is removed; the {@code .ses} file, one per folder
 * and reused, stays. A trace log with content (someone turned tracing on) is theirs to read and is kept.
 */
final class OrtEnvironments {

    private OrtEnvironments() {
    }

    /** The environment (created on first use, then shared); removes this process's empty trace log each time. */
    static OrtEnvironment get() {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            env.setTelemetry(false);
        } catch (OrtException e) {
            // Events stay on; nothing a user could do about it, and nothing leaves this machine offline anyway.
        }
        removeEmptyTraceLog(System.getenv(), ProcessHandle.current().pid());
        return env;
    }

    /** Where the telemetry client puts the trace log of process {@code pid}: {@code $TMPDIR}, else /tmp. */
    static Path traceLog(Map<String, String> environment, long pid) {
        String tmp = environment.get("TMPDIR");
        Path dir = tmp == null || tmp.isEmpty() ? Path.of("/tmp") : Path.of(tmp);
        return dir.resolve("mat-debug-" + pid + ".log");
    }

    /** @return whether an empty trace log of {@code pid} was there and is gone */
    static boolean removeEmptyTraceLog(Map<String, String> environment, long pid) {
        Path log = traceLog(environment, pid);
        try {
            // The client may hold it open; unlinking an open file is fine on Linux, its writes go nowhere visible.
            return Files.isRegularFile(log) && Files.size(log) == 0 && Files.deleteIfExists(log);
        } catch (IOException e) {
            return false; // Not ours to remove after all (permissions), or already gone: nothing to report.
        }
    }
}
