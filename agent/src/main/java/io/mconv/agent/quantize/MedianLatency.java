package io.mconv.agent.quantize;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Times the float and the quantized model on the same inputs: two warm-up runs, then {@code runs} timed runs of each,
 * interleaved so that a machine that gets busier mid-measurement slows both alike; the median resists the outliers a
 * shared machine produces. One intra-op thread: the ratio is about the kernels, not about how many cores are free.
 */
public final class MedianLatency {

    private final Map<String, Shape> inputShapes;

    public MedianLatency(Map<String, Shape> inputShapes) {
        this.inputShapes = Map.copyOf(inputShapes);
    }

    public LatencyComparison compare(Path source, Model quantized, int runs) {
        OrtSessionConfig config = OrtSessionConfig.defaults().withIntraOpThreads(1);
        try (OrtModelRunner reference = OrtModelRunner.open(source, config);
             OrtModelRunner candidate = OrtModelRunner.open(quantized, config)) {
            Map<String, Tensor> feeds = new RandomInputs(7).generate(reference.inputs(), inputShapes);
            for (int i = 0; i < 2; i++) {
                reference.run(feeds);
                candidate.run(feeds);
            }
            double[] a = new double[runs];
            double[] b = new double[runs];
            for (int i = 0; i < runs; i++) {
                a[i] = time(reference, feeds);
                b[i] = time(candidate, feeds);
            }
            return new LatencyComparison(median(a), median(b), runs);
        }
    }

    private static double time(ModelRunner runner, Map<String, Tensor> feeds) {
        long start = System.nanoTime();
        runner.run(feeds);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
