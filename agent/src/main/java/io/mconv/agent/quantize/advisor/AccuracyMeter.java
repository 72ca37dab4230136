package io.mconv.agent.quantize.advisor;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan's model on the evaluation inputs and measures its float outputs against the reference: cosine and max
 * abs error of each output's values over all samples, top-1 agreement for [N, classes] outputs, and the accuracy drop
 * {@link PlanAccuracy} defines.
 */
final class AccuracyMeter {

    private AccuracyMeter() {
    }

    static PlanAccuracy measure(ModelRunner candidate, EvaluationSet evaluation) {
        Map<String, OutputSums> sums = new LinkedHashMap<>();
        for (int s = 0; s < evaluation.inputs().size(); s++) {
            Map<String, Tensor> expected = evaluation.reference().get(s);
            List<String> names = new ArrayList<>(expected.keySet());
            Map<String, Tensor> actual = candidate.run(evaluation.inputs().get(s), names);
            for (String name : names) {
                Tensor e = expected.get(name);
                if (!e.dataType().isFloatingPoint()) {
                    continue;
                }
                sums.computeIfAbsent(name, k -> new OutputSums()).add(name, e, actual.get(name));
            }
        }
        double cosine = 1;
        double maxAbs = 0;
        double top1 = Double.NaN;
        double drop = 0;
        for (OutputSums o : sums.values()) {
            double c = o.cosine();
            cosine = Math.min(cosine, c);
            maxAbs = Math.max(maxAbs, o.maxAbs);
            double d = 1 - c;
            if (o.rows > 0) {
                double agree = (double) o.agreeingRows / o.rows;
                top1 = Double.isNaN(top1) ? agree : Math.min(top1, agree);
                d = Math.max(d, 1 - agree);
            }
            drop = Math.max(drop, d);
        }
        return new PlanAccuracy(cosine, maxAbs, top1, drop);
    }

    /** Running sums of one output over the samples. */
    private static final class OutputSums {
        double dot;
        double expectedSquares;
        double actualSquares;
        double maxAbs;
        long rows;
        long agreeingRows;

        void add(String name, Tensor expected, Tensor actual) {
            float[] e = expected.toFloatArray();
            float[] a = actual.toFloatArray();
            if (e.length != a.length) {
                throw new IllegalStateException("output '" + name + "' has " + a.length + " elements in the plan's "
                        + "model, " + e.length + " in the float model");
            }
            for (int i = 0; i < e.length; i++) {
                dot += (double) e[i] * a[i];
                expectedSquares += (double) e[i] * e[i];
                actualSquares += (double) a[i] * a[i];
                maxAbs = Math.max(maxAbs, Math.abs((double) e[i] - a[i]));
            }
            long[] d = expected.dims();
            if (d.length == 2 && d[1] > 1) {
                int cols = (int) d[1];
                for (int r = 0; r < d[0]; r++) {
                    rows++;
                    if (argMax(e, r * cols, cols) == argMax(a, r * cols, cols)) {
                        agreeingRows++;
                    }
                }
            }
        }

        double cosine() {
            if (expectedSquares == 0 && actualSquares == 0) {
                return 1;
            }
            return dot / Math.sqrt(expectedSquares * actualSquares);
        }

        private static int argMax(float[] v, int from, int count) {
            int best = 0;
            for (int i = 1; i < count; i++) {
                if (v[from + i] > v[from + best]) {
                    best = i;
                }
            }
            return best;
        }
    }
}
