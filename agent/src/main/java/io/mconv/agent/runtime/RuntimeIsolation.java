package io.mconv.agent.runtime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Whether native runtimes that mconv runs in-process (ONNX Runtime for validation) run in a worker JVM instead, and
 * how long one run may take there. libtorch always runs in a worker; ONNX Runtime does only when asked, since a
 * worker costs a JVM start and a copy of every tensor through a pipe.
 *
 * <p>Asked for by {@code --isolate} (with {@code --runtime-timeout}), or for every command by the environment:
 * {@code MCONV_ISOLATE=1} (the setting for CI jobs and services that handle models from strangers) and
 * {@code MCONV_RUNTIME_TIMEOUT=120s}.
 *
 * @param enabled          true to run ONNX Runtime in a worker
 * @param runTimeout       how long one run may take before the worker is killed; starting the worker and loading
 *                         the model may take {@link #STARTUP_ALLOWANCE} more ({@link #startupTimeout()})
 * @param workerProperties system properties for the worker (tests set failure hooks with these)
 */
public record RuntimeIsolation(boolean enabled, Duration runTimeout, Map<String, String> workerProperties) {

    public static final String ENV_ISOLATE = "MCONV_ISOLATE";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Added to the run timeout for the worker's startup: a JVM and the runtime's native libraries take seconds to
     * start on a busy machine, which is not the model's doing, so a short {@code --runtime-timeout} meant for a run
     * must not make the start fail (libtorch's worker gets the same minute from {@code validate}).
     */
    public static final Duration STARTUP_ALLOWANCE = Duration.ofMinutes(1);

    public RuntimeIsolation {
        Objects.requireNonNull(runTimeout, "runTimeout");
        if (runTimeout.isNegative() || runTimeout.isZero()) {
            throw new IllegalArgumentException("the runtime timeout must be positive: " + runTimeout);
        }
        workerProperties = Map.copyOf(workerProperties);
    }

    /** In-process ONNX Runtime, as mconv has always run it. */
    public static RuntimeIsolation off() {
        return new RuntimeIsolation(false, DEFAULT_TIMEOUT, Map.of());
    }

    /** How long starting the worker and loading the model may take before the worker is killed. */
    public Duration startupTimeout() {
        return runTimeout.plus(STARTUP_ALLOWANCE);
    }

    public static RuntimeIsolation isolated(Duration runTimeout) {
        return new RuntimeIsolation(true, runTimeout, Map.of());
    }

    /** True when the environment asks for isolation ({@code MCONV_ISOLATE} is {@code 1}, {@code true} or {@code yes}). */
    public static boolean requestedBy(Map<String, String> env) {
        String v = env.getOrDefault(ENV_ISOLATE, "").trim().toLowerCase(java.util.Locale.ROOT);
        return v.equals("1") || v.equals("true") || v.equals("yes");
    }

    public RuntimeIsolation withWorkerProperty(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(workerProperties);
        p.put(key, value);
        return new RuntimeIsolation(enabled, runTimeout, p);
    }
}
