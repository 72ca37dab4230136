package io.mconv.agent.quantize.advisor;

import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The inputs every plan is measured on and the float model's outputs for them, computed once. The reference runs
 * with ORT's graph optimizations off (the validation oracle), so the figures are against the model as written.
 *
 * @param inputs    one feed map per sample
 * @param reference the float model's outputs, one map per sample
 * @param source    where the inputs came from, for the report
 */
public record EvaluationSet(List<Map<String, Tensor>> inputs, List<Map<String, Tensor>> reference, String source) {

    public EvaluationSet {
        inputs = List.copyOf(inputs);
        reference = List.copyOf(reference);
        if (inputs.isEmpty() || inputs.size() != reference.size()) {
            throw new IllegalArgumentException("an evaluation set needs at least one sample and one reference "
                    + "per sample");
        }
    }

    /** Runs the float model on {@code inputs} to get the reference outputs. */
    public static EvaluationSet of(Path floatModel, List<Map<String, Tensor>> inputs, String source) {
        List<Map<String, Tensor>> reference = new ArrayList<>();
        try (OrtModelRunner runner = OrtModelRunner.open(floatModel, OrtSessionConfig.forValidation())) {
            List<String> names = new ArrayList<>(runner.outputs().keySet());
            for (Map<String, Tensor> feeds : inputs) {
                reference.add(runner.run(feeds, names));
            }
        }
        return new EvaluationSet(inputs, reference, source);
    }
}
