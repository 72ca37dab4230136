package io.mconv.agent.profile;

import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.ir.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code mconv profile} measures and how.
 *
 * @param providers      execution providers in priority order (cpu is always added last)
 * @param strictProvider true: a missing provider is an error; false: fall back to cpu with a warning
 * @param threads        ORT intra-op threads; 0 lets ORT choose (one per physical core)
 * @param batches        batch sizes to measure (each sets the symbolic first dimension); empty: the inputs as they
 *                       are
 * @param warmup         untimed runs before each timing loop
 * @param budget         iterations or duration of each timing loop
 * @param inputShapes    the user's {@code --input-shape} values by input name
 * @param inputsDir      folder of {@code input_N.pb} feeds, or null for seeded random inputs
 * @param seed           seed of the random inputs
 * @param opProfileRuns  runs of the separate per-op profiling session; 0 skips it
 * @param topNodes       how many of the slowest nodes the per-op breakdown lists
 */
public record ProfileOptions(List<ExecutionProvider> providers, boolean strictProvider, int threads,
                             List<Integer> batches, int warmup, RunBudget budget, Map<String, Shape> inputShapes,
                             Path inputsDir, long seed, int opProfileRuns, int topNodes) {

    public ProfileOptions {
        providers = List.copyOf(providers);
        batches = List.copyOf(batches);
        inputShapes = Map.copyOf(inputShapes);
        if (threads < 0 || warmup < 0 || opProfileRuns < 0 || topNodes < 0) {
            throw new IllegalArgumentException("threads, warmup, op-profile runs and top nodes must be >= 0");
        }
        if (inputsDir != null && !batches.isEmpty()) {
            throw new io.mconv.agent.InvalidOptionException("--batch cannot be combined with --inputs: the files "
                    + "in " + inputsDir + " fix the input shapes");
        }
    }

    /** cpu with fallback, ORT's threads, the inputs as they are, 5 warm-up runs, 100 iterations, per-op on. */
    public static ProfileOptions defaults() {
        return new ProfileOptions(List.of(ExecutionProvider.CPU), false, 0, List.of(), 5, RunBudget.iterations(100),
                Map.of(), null, 1, 10, 10);
    }

    public ProfileOptions withBudget(int warmupRuns, RunBudget b) {
        return new ProfileOptions(providers, strictProvider, threads, batches, warmupRuns, b, inputShapes, inputsDir,
                seed, opProfileRuns, topNodes);
    }

    public ProfileOptions withBatches(List<Integer> b) {
        return new ProfileOptions(providers, strictProvider, threads, b, warmup, budget, inputShapes, inputsDir, seed,
                opProfileRuns, topNodes);
    }

    public ProfileOptions withOpProfileRuns(int runs) {
        return new ProfileOptions(providers, strictProvider, threads, batches, warmup, budget, inputShapes, inputsDir,
                seed, runs, topNodes);
    }
}
