package io.mconv.agent.export;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.eval.Evaluator;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation of a model built from weights alone: there is no source code for libtorch to run, so the reference is
 * mconv's own evaluator (plain double-precision loops, no shared code with ONNX Runtime's kernels) and the candidate
 * is ONNX Runtime on CPU with graph optimizations off, both fed the same seeded random inputs.
 */
final class EvaluatorValidation {

    /** Names the reference in reports, so a reader knows libtorch was not involved. */
    static final String REFERENCE = "mconv reference evaluator";

    private EvaluatorValidation() {
    }

    /**
     * @param shapes concrete shapes for inputs with symbolic dims (others take 1)
     */
    static ValidationReport validate(Model model, Map<String, Shape> shapes, long seed, Tolerance tolerance) {
        Map<String, ValueType> inputs = new LinkedHashMap<>();
        for (Value in : model.graph().inputs()) {
            if (!in.isInitializer()) {
                inputs.put(in.name(), in.type());
            }
        }
        Map<String, Tensor> feeds = new RandomInputs(seed).generate(inputs, shapes);
        Map<String, Tensor> expected = new Evaluator().run(model, feeds);
        try (OrtModelRunner ort = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            Map<String, Tensor> actual = ort.run(feeds);
            List<ComparisonResult> results = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                results.add(TensorComparison.compare(e.getKey(), e.getValue(), actual.get(e.getKey()), tolerance));
            }
            return new ValidationReport(REFERENCE, ort.describe(), results);
        }
    }
}
