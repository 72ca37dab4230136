package io.mconv.agent.runtime.torch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link TorchScriptRunner} starts and watches its worker process.
 *
 * @param maxHeap          the worker's {@code -Xmx} (it holds only the tensors in flight: libtorch's own memory is
 *                         native), e.g. {@code 1g}
 * @param startupTimeout   how long starting the JVM, loading libtorch (extracting it on first use) and loading the
 *                         model may take
 * @param runTimeout       how long one run may take before the worker is killed
 * @param threads          libtorch's intra-op threads, 0 for libtorch's default (one per core)
 * @param cacheDir         where DJL extracts libtorch, or null for DJL's own choice ({@link DjlCacheDir})
 * @param workerProperties extra system properties for the worker (tests set failure hooks with these)
 */
public record TorchRunnerConfig(String maxHeap, Duration startupTimeout, Duration runTimeout, int threads,
                                Path cacheDir, Map<String, String> workerProperties) {

    public TorchRunnerConfig {
        Objects.requireNonNull(maxHeap, "maxHeap");
        if (!maxHeap.matches("[0-9]+[kKmMgG]?")) {
            throw new IllegalArgumentException("maxHeap must look like -Xmx's value (512m, 2g): " + maxHeap);
        }
        requirePositive(startupTimeout, "startupTimeout");
        requirePositive(runTimeout, "runTimeout");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = libtorch's default): " + threads);
        }
        workerProperties = Map.copyOf(workerProperties);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /**
     * 1 GiB of worker heap, 3 minutes to start (the first start extracts ~430 MB of libtorch), 10 minutes a run
     * (a large model on a slow CPU), libtorch's default threads, DJL's cache folder.
     */
    public static TorchRunnerConfig defaults() {
        return new TorchRunnerConfig("1g", Duration.ofMinutes(3), Duration.ofMinutes(10), 0, null, Map.of());
    }

    public TorchRunnerConfig withThreads(int n) {
        return new TorchRunnerConfig(maxHeap, startupTimeout, runTimeout, n, cacheDir, workerProperties);
    }

    public TorchRunnerConfig withRunTimeout(Duration timeout) {
        return new TorchRunnerConfig(maxHeap, startupTimeout, timeout, threads, cacheDir, workerProperties);
    }

    public TorchRunnerConfig withStartupTimeout(Duration timeout) {
        return new TorchRunnerConfig(maxHeap, timeout, runTimeout, threads, cacheDir, workerProperties);
    }

    public TorchRunnerConfig withCacheDir(Path dir) {
        return new TorchRunnerConfig(maxHeap, startupTimeout, runTimeout, threads, dir, workerProperties);
    }

    public TorchRunnerConfig withWorkerProperty(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(workerProperties);
        p.put(key, value);
        return new TorchRunnerConfig(maxHeap, startupTimeout, runTimeout, threads, cacheDir, p);
    }
}
