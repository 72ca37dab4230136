package io.mconv.agent.quantize;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the float model and the quantized one in ONNX Runtime (the validation configuration: graph optimizations off,
 * one thread) on the same seeded random inputs and measures each float output: cosine, max abs error, top-1
 * agreement for classifier-shaped outputs, and the share of elements within the precision's tolerance.
 */
public final class QualityMeter {

    private final Map<String, Shape> inputShapes;
    private final long seed;

    public QualityMeter(Map<String, Shape> inputShapes, long seed) {
        this.inputShapes = Map.copyOf(inputShapes);
        this.seed = seed;
    }

    public QualityReport measure(Path source, Model quantized, double minCosine, Tolerance tolerance) {
        try (OrtModelRunner reference = OrtModelRunner.open(source, OrtSessionConfig.forValidation());
             OrtModelRunner candidate = OrtModelRunner.open(quantized, OrtSessionConfig.forValidation())) {
            Map<String, Tensor> feeds;
            try {
                feeds = new RandomInputs(seed).generate(reference.inputs(), inputShapes);
            } catch (IllegalArgumentException e) {
                throw new ValidationFailedException("cannot validate " + source + ": " + e.getMessage()
                        + " (or skip validation with --no-validate)", null);
            }
            Map<String, Tensor> want = reference.run(feeds);
            Map<String, Tensor> got = candidate.run(feeds);
            List<OutputQuality> outputs = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : want.entrySet()) {
                Tensor expected = e.getValue();
                if (!expected.dataType().isFloatingPoint()) {
                    continue;
                }
                Tensor actual = got.get(e.getKey());
                ComparisonResult c = TensorComparison.compare(e.getKey(), expected, actual, tolerance);
                if (c.elementCount() == 0 && expected.elementCount() > 0) {
                    throw new ValidationFailedException(source + ": the quantized model's output '" + e.getKey()
                            + "' differs in structure: " + c.reason(), null);
                }
                double within = c.elementCount() == 0 ? 1
                        : 1 - (double) c.mismatches() / c.elementCount();
                outputs.add(new OutputQuality(e.getKey(), c.cosineSimilarity(), c.maxAbsError(),
                        top1Agreement(expected, actual), within));
            }
            return new QualityReport(outputs, minCosine, tolerance);
        } catch (RuntimeFailureException e) {
            throw new ValidationFailedException(source + ": ONNX Runtime cannot run the quantized model: "
                    + e.getMessage().replaceAll("\\s+", " ") + " (use --no-validate to write it unchecked)", null);
        }
    }

    /** Arg-max agreement over the rows of a [N, classes] output; NaN for any other shape. */
    static double top1Agreement(Tensor expected, Tensor actual) {
        long[] d = expected.dims();
        if (d.length != 2 || d[1] < 2 || d[0] < 1 || expected.dataType() == DataType.STRING) {
            return Double.NaN;
        }
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        int rows = (int) d[0];
        int cols = (int) d[1];
        int same = 0;
        for (int r = 0; r < rows; r++) {
            if (argMax(e, r * cols, cols) == argMax(a, r * cols, cols)) {
                same++;
            }
        }
        return (double) same / rows;
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
