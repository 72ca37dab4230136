package io.mconv.agent.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.validation.ModelValidator;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.Model;
import java.util.Map;

/**
 * For pass tests: runs the model before and after a transformation in ONNX Runtime (graph optimizations off, so
 * ORT's own fusions cannot hide a bug) on seeded random inputs and asserts every output agrees.
 */
public final class OrtEquivalence {

    private OrtEquivalence() {
    }

    public static ValidationReport assertSameOutputs(Model before, Model after) {
        return assertSameOutputs(before, after, null);
    }

    /** @param tolerance null for the per-precision presets (fp32: atol 1e-5, rtol 1e-4) */
    public static ValidationReport assertSameOutputs(Model before, Model after, Tolerance tolerance) {
        ValidationReport report = new ModelValidator(tolerance, Map.of(), 7).validate(before, after);
        assertTrue(report.passed(), "outputs differ after the pass: " + report.firstFailure());
        return report;
    }
}
