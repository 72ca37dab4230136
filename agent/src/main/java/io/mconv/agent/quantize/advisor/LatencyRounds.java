package io.mconv.agent.quantize.advisor;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Median latency of several models on one input, timed in interleaved rounds (each round runs every model once)
 * after warm-up rounds, so that a burst of load on a shared machine falls on all of them alike rather than on
 * whichever was being timed.
 */
final class LatencyRounds {

    private static final int WARMUP_ROUNDS = 2;

    private LatencyRounds() {
    }

    /** Median milliseconds per runner, in the order given. */
    static double[] medians(List<? extends ModelRunner> runners, Map<String, Tensor> feeds, int rounds) {
        List<List<String>> outputs = new ArrayList<>();
        for (ModelRunner r : runners) {
            outputs.add(new ArrayList<>(r.outputs().keySet()));
        }
        for (int w = 0; w < WARMUP_ROUNDS; w++) {
            for (int i = 0; i < runners.size(); i++) {
                runners.get(i).run(feeds, outputs.get(i));
            }
        }
        double[][] times = new double[runners.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < runners.size(); i++) {
                long start = System.nanoTime();
                runners.get(i).run(feeds, outputs.get(i));
                times[i][round] = (System.nanoTime() - start) / 1e6;
            }
        }
        double[] medians = new double[runners.size()];
        for (int i = 0; i < medians.length; i++) {
            medians[i] = median(times[i]);
        }
        return medians;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
