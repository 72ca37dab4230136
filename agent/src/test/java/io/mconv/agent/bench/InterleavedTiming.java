package io.mconv.agent.bench;

import io.mconv.agent.profile.LatencyStats;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Times several set-ups of one model against each other on a noisy machine (benchmarks only). This VM's speed
 * changes in phases of a quarter to a few seconds (the same loop runs 1.4 to 2 times slower for a while), so set-ups
 * are measured in short rounds, each round visiting every set-up; the order rotates from round to round, so none
 * always follows the same neighbour; and the first run after a switch is not timed, since the previous session's
 * intra-op threads may still be spinning. A ratio between two set-ups is the median of their per-round ratios
 * (paired within a round, so a slow phase falls on both), with a bootstrap interval over rounds.
 */
final class InterleavedTiming {

    /** Per set-up: every timed run's milliseconds, and each round's median. */
    record Result(double[][] runsMs, double[][] roundMedians) {

        double median(int setup) {
            return InterleavedTiming.median(runsMs[setup]);
        }

        /** Median over rounds of setup a's round median over setup b's. */
        double ratio(int a, int b) {
            return InterleavedTiming.median(roundRatios(a, b));
        }

        /** The 2.5th and 97.5th percentiles of {@link #ratio} over rounds resampled with replacement. */
        double[] ratioInterval(int a, int b, long seed) {
            double[] ratios = roundRatios(a, b);
            Random random = new Random(seed);
            double[] medians = new double[2000];
            double[] sample = new double[ratios.length];
            for (int i = 0; i < medians.length; i++) {
                for (int j = 0; j < sample.length; j++) {
                    sample[j] = ratios[random.nextInt(ratios.length)];
                }
                medians[i] = InterleavedTiming.median(sample);
            }
            Arrays.sort(medians);
            return new double[] {medians[(int) (0.025 * medians.length)], medians[(int) (0.975 * medians.length)]};
        }

        private double[] roundRatios(int a, int b) {
            double[] r = new double[roundMedians[a].length];
            for (int i = 0; i < r.length; i++) {
                r[i] = roundMedians[a][i] / roundMedians[b][i];
            }
            return r;
        }
    }

    private InterleavedTiming() {
    }

    /**
     * @param runs     timed runs per set-up in all
     * @param perRound timed runs per set-up in one round
     */
    static Result measure(List<Supplier<ModelRunner>> setups, Map<String, Tensor> feeds, int runs, int perRound,
                          int warmup) {
        List<ModelRunner> runners = new ArrayList<>();
        try {
            for (Supplier<ModelRunner> s : setups) {
                runners.add(s.get());
            }
            for (ModelRunner r : runners) {
                for (int i = 0; i < warmup; i++) {
                    r.run(feeds);
                }
            }
            int n = runners.size();
            int rounds = Math.max(1, runs / perRound);
            double[][] ms = new double[n][rounds * perRound];
            double[][] roundMedians = new double[n][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int step = 0; step < n; step++) {
                    int k = (round + step) % n;
                    ModelRunner r = runners.get(k);
                    r.run(feeds); // the switch-over run, untimed
                    double[] thisRound = new double[perRound];
                    for (int i = 0; i < perRound; i++) {
                        long t0 = System.nanoTime();
                        r.run(feeds);
                        thisRound[i] = (System.nanoTime() - t0) / 1e6;
                        ms[k][round * perRound + i] = thisRound[i];
                    }
                    roundMedians[k][round] = median(thisRound);
                }
            }
            return new Result(ms, roundMedians);
        } finally {
            runners.forEach(ModelRunner::close);
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return LatencyStats.percentile(v, 50);
    }
}
