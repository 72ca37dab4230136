package io.mconv.agent.quantize;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures each floating-point output of a quantized model against the float model over one or more inputs: cosine
 * similarity of the outputs of all inputs taken as one vector (a single input's cosine can look perfect by luck),
 * the largest absolute error, top-1 agreement over the rows of classifier-shaped outputs ([N, classes]), and the
 * share of elements within the precision's element-wise tolerance. Integer outputs (argmax indices, masks) are not
 * measured: their agreement is what the float outputs' top-1 already says. Runners are the caller's, so the
 * caller chooses the session configurations (the reference as the oracle, the candidate as users run it).
 */
final class QualityMeter {

    private QualityMeter() {
    }

    /**
     * @throws ValidationFailedException when an output of the candidate differs in structure (dtype, shape)
     */
    static QualityReport measure(ModelRunner reference, ModelRunner candidate, List<Map<String, Tensor>> inputs,
                                 double minCosine, Tolerance tolerance) {
        List<String> names = new ArrayList<>(reference.outputs().keySet());
        Map<String, Sums> sums = new LinkedHashMap<>();
        for (Map<String, Tensor> feeds : inputs) {
            Map<String, Tensor> want = reference.run(feeds, names);
            Map<String, Tensor> got = candidate.run(feeds, names);
            for (String name : names) {
                Tensor expected = want.get(name);
                if (!expected.dataType().isFloatingPoint()) {
                    continue;
                }
                Tensor actual = got.get(name);
                ComparisonResult c = TensorComparison.compare(name, expected, actual, tolerance);
                if (c.elementCount() == 0 && expected.elementCount() > 0) {
                    throw new ValidationFailedException("the quantized model's output '" + name
                            + "' differs in structure: " + c.reason(), null);
                }
                sums.computeIfAbsent(name, k -> new Sums()).add(expected, actual, c);
            }
        }
        List<OutputQuality> outputs = new ArrayList<>();
        sums.forEach((name, s) -> outputs.add(s.quality(name)));
        return new QualityReport(outputs, minCosine, tolerance);
    }

    /** Running sums of one output over the inputs. */
    private static final class Sums {
        private double dot;
        private double expectedSquares;
        private double actualSquares;
        private double maxAbs;
        private long elements;
        private long mismatches;
        private long rows;
        private long agreeingRows;

        void add(Tensor expected, Tensor actual, ComparisonResult c) {
            double[] e = expected.toDoubleArray();
            double[] a = actual.toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                dot += e[i] * a[i];
                expectedSquares += e[i] * e[i];
                actualSquares += a[i] * a[i];
            }
            maxAbs = Math.max(maxAbs, c.maxAbsError());
            elements += c.elementCount();
            mismatches += c.mismatches();
            long[] d = expected.dims();
            if (d.length == 2 && d[0] >= 1 && d[1] >= 2 && expected.dataType() != DataType.STRING) {
                int cols = (int) d[1];
                for (int r = 0; r < d[0]; r++) {
                    rows++;
                    if (argMax(e, r * cols, cols) == argMax(a, r * cols, cols)) {
                        agreeingRows++;
                    }
                }
            }
        }

        OutputQuality quality(String name) {
            // two all-zero vectors point the same way; one zero and one not share nothing
            double cosine = expectedSquares == 0 && actualSquares == 0 ? 1
                    : dot / Math.sqrt(expectedSquares * actualSquares);
            double within = elements == 0 ? 1 : 1 - (double) mismatches / elements;
            return new OutputQuality(name, cosine, maxAbs, rows == 0 ? Double.NaN : (double) agreeingRows / rows,
                    within);
        }
    }

    private static int argMax(double[] v, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
