package io.mconv.agent.validation;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a reference and a candidate on the same feeds and compares every output of the reference. Tolerances
 * follow each output's precision unless the caller fixes one.
 */
public final class OutputValidator {

    private final Tolerance fixedTolerance;

    /** @param fixedTolerance a tolerance for every output, or null for the per-dtype presets */
    public OutputValidator(Tolerance fixedTolerance) {
        this.fixedTolerance = fixedTolerance;
    }

    public ValidationReport compare(ModelRunner reference, ModelRunner candidate, Map<String, Tensor> feeds) {
        Map<String, Tensor> expected = reference.run(feeds);
        Map<String, Tensor> actual = candidate.run(feeds, expected.keySet());
        List<ComparisonResult> results = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tolerance t = fixedTolerance != null ? fixedTolerance : Tolerance.forDataType(e.getValue().dataType());
            results.add(TensorComparison.compare(e.getKey(), e.getValue(), actual.get(e.getKey()), t));
        }
        return new ValidationReport(reference.describe(), candidate.describe(), results);
    }
}
