package io.mconv.agent.quantize;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.ir.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Median latency of two models on the same input, timed in alternating rounds (A, B, A, B...) after a warm-up, so
 * that a burst of load on a shared machine hits both rather than one.
 */
final class LatencyMeter {

    private static final int WARMUP = 3;

    private LatencyMeter() {
    }

    /** Median milliseconds of {@code runs} runs each: {@code [a, b]}. */
    static double[] medians(ModelRunner a, ModelRunner b, Map<String, Tensor> feeds, int runs) {
        List<String> outsA = new ArrayList<>(a.outputs().keySet());
        List<String> outsB = new ArrayList<>(b.outputs().keySet());
        for (int i = 0; i < WARMUP; i++) {
            a.run(feeds, outsA);
            b.run(feeds, outsB);
        }
        double[] ta = new double[runs];
        double[] tb = new double[runs];
        for (int i = 0; i < runs; i++) {
            ta[i] = time(a, feeds, outsA);
            tb[i] = time(b, feeds, outsB);
        }
        return new double[] {median(ta), median(tb)};
    }

    private static double time(ModelRunner r, Map<String, Tensor> feeds, List<String> outs) {
        long t0 = System.nanoTime();
        r.run(feeds, outs);
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
