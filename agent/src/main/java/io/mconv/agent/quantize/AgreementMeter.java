package io.mconv.agent.quantize;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a quantized model's outputs with the float model's over several inputs: cosine and max abs error of all
 * float outputs concatenated, and for classifier-shaped outputs ([N, classes], classes > 1) how often the argmax
 * agrees.
 */
final class AgreementMeter {

    private AgreementMeter() {
    }

    static List<OutputAgreement> measure(ModelRunner reference, ModelRunner quantized,
                                         List<Map<String, Tensor>> inputs) {
        List<String> names = new ArrayList<>(reference.outputs().keySet());
        Map<String, double[]> sums = new LinkedHashMap<>(); // dot, |a|^2, |b|^2, maxAbs, agree, rows
        for (Map<String, Tensor> feeds : inputs) {
            Map<String, Tensor> expected = reference.run(feeds, names);
            Map<String, Tensor> actual = quantized.run(feeds, names);
            for (String name : names) {
                Tensor e = expected.get(name);
                Tensor a = actual.get(name);
                if (e.dataType() != DataType.FLOAT || a.dataType() != DataType.FLOAT) {
                    continue;
                }
                accumulate(sums.computeIfAbsent(name, k -> new double[6]), e, a);
            }
        }
        List<OutputAgreement> out = new ArrayList<>();
        sums.forEach((name, s) -> {
            double cos = s[1] == 0 && s[2] == 0 ? 1 : s[0] / Math.sqrt(s[1] * s[2]);
            out.add(new OutputAgreement(name, cos, s[3], s[5] == 0 ? Double.NaN : s[4] / s[5]));
        });
        return out;
    }

    private static void accumulate(double[] s, Tensor expected, Tensor actual) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        if (e.length != a.length) {
            throw new IllegalStateException("output '" + expected.name() + "' has " + a.length
                    + " elements after quantization, " + e.length + " before");
        }
        for (int i = 0; i < e.length; i++) {
            s[0] += (double) e[i] * a[i];
            s[1] += (double) e[i] * e[i];
            s[2] += (double) a[i] * a[i];
            s[3] = Math.max(s[3], Math.abs((double) e[i] - a[i]));
        }
        long[] dims = expected.dims();
        if (dims.length == 2 && dims[1] > 1) {
            int rows = (int) dims[0];
            int cols = (int) dims[1];
            for (int r = 0; r < rows; r++) {
                if (argmax(e, r * cols, cols) == argmax(a, r * cols, cols)) {
                    s[4]++;
                }
                s[5]++;
            }
        }
    }

    private static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[offset + i] > v[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
