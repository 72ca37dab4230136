package io.mconv.agent.quantize;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Times a float and a quantized model on the same input: warm-up runs, then {@code runs} timed runs of each in
 * alternating rounds (A, B, A, B...), so that a burst of load on a shared machine slows both alike; the median
 * resists the outliers such a machine produces.
 */
final class LatencyMeter {

    private static final int WARMUP = 3;

    private LatencyMeter() {
    }

    /**
     * Sessions to time with: ORT's graph optimizations on, as users run a model (so QDQ patterns fuse into integer
     * kernels), and one intra-op thread, so the ratio is about the kernels and not about how many cores are free.
     */
    static OrtSessionConfig sessionConfig() {
        return OrtSessionConfig.defaults().withIntraOpThreads(1);
    }

    static LatencyComparison compare(ModelRunner reference, ModelRunner candidate, Map<String, Tensor> feeds,
                                     int runs) {
        List<String> outsA = new ArrayList<>(reference.outputs().keySet());
        List<String> outsB = new ArrayList<>(candidate.outputs().keySet());
        for (int i = 0; i < WARMUP; i++) {
            reference.run(feeds, outsA);
            candidate.run(feeds, outsB);
        }
        double[] ta = new double[runs];
        double[] tb = new double[runs];
        for (int i = 0; i < runs; i++) {
            ta[i] = time(reference, feeds, outsA);
            tb[i] = time(candidate, feeds, outsB);
        }
        return new LatencyComparison(median(ta), median(tb), runs);
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
