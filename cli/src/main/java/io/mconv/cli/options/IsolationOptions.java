package io.mconv.cli.options;

import io.mconv.agent.runtime.RuntimeIsolation;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --isolate} and {@code --runtime-timeout}: ONNX Runtime in a worker JVM, so that a native crash or hang is an
 * error (exit 4 naming the runtime) instead of a dead mconv. {@code MCONV_ISOLATE=1} in the environment turns it on
 * for every command, the setting for pipelines that handle models from strangers.
 */
public final class IsolationOptions {

    @Option(names = "--isolate", description = "Run ONNX Runtime in a separate process, so that a crash or hang in "
            + "native code is reported (exit 4) instead of killing mconv. Default: on when MCONV_ISOLATE=1.")
    boolean isolate;

    @Option(names = "--runtime-timeout", paramLabel = "TIME", converter = TimeSpan.Converter.class,
            description = "With --isolate (and for libtorch, which always runs apart): how long one run may take "
                    + "before the runtime is killed; starting it and loading the model may take a minute more "
                    + "(default: 10m).")
    Duration runtimeTimeout;

    /** What was asked for on the command line or, failing that, in {@code env}. */
    public RuntimeIsolation isolation(Map<String, String> env) {
        Duration timeout = runtimeTimeout != null ? runtimeTimeout : RuntimeIsolation.DEFAULT_TIMEOUT;
        return isolate || RuntimeIsolation.requestedBy(env) ? RuntimeIsolation.isolated(timeout)
                : new RuntimeIsolation(false, timeout, Map.of());
    }

    /** The timeout given with {@code --runtime-timeout}, or null. */
    public Duration runtimeTimeout() {
        return runtimeTimeout;
    }
}
