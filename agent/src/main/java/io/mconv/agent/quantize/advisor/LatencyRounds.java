package io.mconv.agent.quantize.advisor;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Median latency of several models on one input, timed in interleaved rounds (each round runs every model) after
 * warm-up rounds, so that a burst of load on a shared machine falls on all of them alike rather than on whichever
 * was being timed. In a round each model runs a block of consecutive runs lasting about {@value #BLOCK_MILLIS} ms
 * (one run for slower models); a fast model's block starts with one uncounted run, which pays for switching from
 * the previous model (its caches, its threads' wake-up), so a fast model's figure is its steady-state run. The
 * sessions should not spin ({@link io.mconv.agent.runtime.ort.OrtSessionConfig#withSpinning}): a spinning pool would
 * keep taking cores from the next model's block.
 */
final class LatencyRounds {

    private static final int WARMUP_ROUNDS = 2;
    static final long BLOCK_MILLIS = 10;
    private static final int MAX_BLOCK = 200;

    private LatencyRounds() {
    }

    /** Median milliseconds per run, per runner, in the order given. */
    static double[] medians(List<? extends ModelRunner> runners, Map<String, Tensor> feeds, int rounds) {
        List<List<String>> outputs = new ArrayList<>();
        for (ModelRunner r : runners) {
            outputs.add(new ArrayList<>(r.outputs().keySet()));
        }
        double[] estimate = new double[runners.size()];
        for (int w = 0; w < WARMUP_ROUNDS; w++) {
            for (int i = 0; i < runners.size(); i++) {
                estimate[i] = timedRun(runners.get(i), feeds, outputs.get(i));
            }
        }
        int[] block = new int[runners.size()];
        List<double[]> times = new ArrayList<>();
        for (int i = 0; i < block.length; i++) {
            block[i] = (int) Math.max(1, Math.min(MAX_BLOCK, Math.ceil(BLOCK_MILLIS / Math.max(estimate[i], 1e-3))));
            times.add(new double[rounds * block[i]]);
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < runners.size(); i++) {
                if (block[i] > 1) {
                    runners.get(i).run(feeds, outputs.get(i));
                }
                for (int k = 0; k < block[i]; k++) {
                    times.get(i)[round * block[i] + k] = timedRun(runners.get(i), feeds, outputs.get(i));
                }
            }
        }
        double[] medians = new double[runners.size()];
        for (int i = 0; i < medians.length; i++) {
            medians[i] = median(times.get(i));
        }
        return medians;
    }

    private static double timedRun(ModelRunner runner, Map<String, Tensor> feeds, List<String> outputs) {
        long start = System.nanoTime();
        runner.run(feeds, outputs);
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
