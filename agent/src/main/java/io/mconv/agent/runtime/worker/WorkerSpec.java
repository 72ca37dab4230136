package io.mconv.agent.runtime.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a worker JVM runs and how it is watched.
 *
 * @param runtime          the native runtime it hosts, as messages name it: {@code libtorch}, {@code onnxruntime}
 * @param tag              a short word for thread and folder names: {@code torch}, {@code ort}
 * @param mainClass        the worker's main class (it speaks {@link WorkerWire} on stdin/stdout)
 * @param args             its arguments (the model file first)
 * @param maxHeap          the worker's {@code -Xmx}; the runtime's own memory is native
 * @param startupTimeout   how long starting the JVM and loading the model may take
 * @param runTimeout       how long one run may take before the worker is killed
 * @param systemProperties system properties for the worker (runtime settings; tests set failure hooks here)
 */
public record WorkerSpec(String runtime, String tag, String mainClass, List<String> args, String maxHeap,
                         Duration startupTimeout, Duration runTimeout, Map<String, String> systemProperties) {

    public WorkerSpec {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(mainClass, "mainClass");
        if (!maxHeap.matches("[0-9]+[kKmMgG]?")) {
            throw new IllegalArgumentException("maxHeap must look like -Xmx's value (512m, 2g): " + maxHeap);
        }
        requirePositive(startupTimeout, "startupTimeout");
        requirePositive(runTimeout, "runTimeout");
        args = List.copyOf(args);
        systemProperties = Map.copyOf(systemProperties);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
