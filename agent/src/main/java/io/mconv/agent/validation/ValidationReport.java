package io.mconv.agent.validation;

import io.mconv.agent.runtime.ComparisonResult;
import java.util.List;

/** The outcome of running a reference and a candidate model on the same feeds and comparing every output. */
public record ValidationReport(String reference, String candidate, List<ComparisonResult> outputs) {

    public ValidationReport {
        outputs = List.copyOf(outputs);
    }

    public boolean passed() {
        return outputs.stream().allMatch(ComparisonResult::passed);
    }

    /** The first failing output's reason, for one-line error messages; null when all passed. */
    public String firstFailure() {
        return outputs.stream().filter(r -> !r.passed()).findFirst().map(r -> r.name() + ": " + r.reason()).orElse(null);
    }
}
