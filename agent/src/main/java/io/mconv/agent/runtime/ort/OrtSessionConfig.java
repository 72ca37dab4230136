package io.mconv.agent.runtime.ort;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to open an ONNX Runtime session. Immutable; change one setting with the {@code with...} methods.
 *
 * @param providers           execution providers in priority order (cpu is appended when absent)
 * @param allowFallback       when a requested provider is missing from this build: true runs on cpu and records
 *                            a warning, false throws {@link ProviderUnavailableException}
 * @param optimizationLevel   ORT's graph optimizations; {@link GraphOptimizationLevel#NONE} for validation
 * @param intraOpThreads      threads inside one operator; 0 lets ORT choose
 * @param interOpThreads      threads across operators, used only with {@code parallelExecution}; 0 lets ORT choose
 * @param parallelExecution   ORT's parallel execution mode (runs independent branches concurrently)
 * @param profilingFilePrefix when not null, ORT writes a Chrome-trace profile whose file name starts with this
 * @param optimizedModelPath  when not null, ORT saves the model it actually runs (after its own optimizations at
 *                            {@code optimizationLevel}) to this file
 * @param memoryPattern       ORT's memory pattern optimization (pre-plans allocations for fixed shapes)
 * @param cpuArena            ORT's CPU arena allocator (faster, but holds on to peak memory)
 * @param spinning            whether intra-op threads spin-wait for work after a run (ORT's default, fastest for one
 *                            session); off for sessions timed side by side, where one session's spinning threads
 *                            would steal the cores the next session's run needs
 */
public record OrtSessionConfig(List<ExecutionProvider> providers, boolean allowFallback,
                               GraphOptimizationLevel optimizationLevel, int intraOpThreads, int interOpThreads,
                               boolean parallelExecution, String profilingFilePrefix, Path optimizedModelPath,
                               boolean memoryPattern, boolean cpuArena, boolean spinning) {

    public OrtSessionConfig {
        providers = List.copyOf(providers);
        Objects.requireNonNull(optimizationLevel, "optimizationLevel");
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0 (0 = ORT's choice): intra-op "
                    + intraOpThreads + ", inter-op " + interOpThreads);
        }
    }

    /** cpu, no fallback needed, all of ORT's optimizations, ORT's thread defaults, arena and memory pattern on. */
    public static OrtSessionConfig defaults() {
        return new OrtSessionConfig(List.of(ExecutionProvider.CPU), false, GraphOptimizationLevel.ALL, 0, 0, false,
                null, null, true, true, true);
    }

    /**
     * The oracle for validation: cpu, graph optimizations off (ORT's fusions must not hide a bug of ours), one
     * intra-op thread so reductions sum in the same order every run.
     */
    public static OrtSessionConfig forValidation() {
        return defaults().withOptimizationLevel(GraphOptimizationLevel.NONE).withIntraOpThreads(1);
    }

    public OrtSessionConfig withProviders(List<ExecutionProvider> p, boolean fallback) {
        return new OrtSessionConfig(p, fallback, optimizationLevel, intraOpThreads, interOpThreads,
                parallelExecution, profilingFilePrefix, optimizedModelPath, memoryPattern, cpuArena, spinning);
    }

    public OrtSessionConfig withOptimizationLevel(GraphOptimizationLevel level) {
        return new OrtSessionConfig(providers, allowFallback, level, intraOpThreads, interOpThreads,
                parallelExecution, profilingFilePrefix, optimizedModelPath, memoryPattern, cpuArena, spinning);
    }

    public OrtSessionConfig withIntraOpThreads(int n) {
        return new OrtSessionConfig(providers, allowFallback, optimizationLevel, n, interOpThreads,
                parallelExecution, profilingFilePrefix, optimizedModelPath, memoryPattern, cpuArena, spinning);
    }

    /** Inter-op threads only matter in parallel mode, so this turns it on when {@code n > 0}. */
    public OrtSessionConfig withInterOpThreads(int n) {
        return new OrtSessionConfig(providers, allowFallback, optimizationLevel, intraOpThreads, n,
                parallelExecution || n > 0, profilingFilePrefix, optimizedModelPath, memoryPattern, cpuArena, spinning);
    }

    public OrtSessionConfig withProfiling(String filePrefix) {
        return new OrtSessionConfig(providers, allowFallback, optimizationLevel, intraOpThreads, interOpThreads,
                parallelExecution, filePrefix, optimizedModelPath, memoryPattern, cpuArena, spinning);
    }

    public OrtSessionConfig withOptimizedModelPath(Path path) {
        return new OrtSessionConfig(providers, allowFallback, optimizationLevel, intraOpThreads, interOpThreads,
                parallelExecution, profilingFilePrefix, path, memoryPattern, cpuArena, spinning);
    }

    public OrtSessionConfig withMemory(boolean pattern, boolean arena) {
        return new OrtSessionConfig(providers, allowFallback, optimizationLevel, intraOpThreads, interOpThreads,
                parallelExecution, profilingFilePrefix, optimizedModelPath, pattern, arena, spinning);
    }

    public OrtSessionConfig withSpinning(boolean spin) {
        return new OrtSessionConfig(providers, allowFallback, optimizationLevel, intraOpThreads, interOpThreads,
                parallelExecution, profilingFilePrefix, optimizedModelPath, memoryPattern, cpuArena, spin);
    }
}
