package io.mconv.passes.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Attribute;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import java.util.Map;

/** Shared steps of the ORT fusion tests. */
final class OrtTestSupport {

    static final PassContext CTX = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.ORT);

    private OrtTestSupport() {
    }

    /** Runs {@code pass} on a copy of {@code before}, checks rewrites, verifier, ORT equivalence, idempotence. */
    static Model fuse(Pass pass, Model before, int expectedRewrites) {
        Model after = ModelCopier.copy(before);
        PassResult r = pass.run(after, CTX);
        assertEquals(expectedRewrites, r.rewrites(), () -> "rewrites; diagnostics: " + r.diagnostics());
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        if (expectedRewrites > 0) {
            assertEquals(1, after.opsetVersion("com.microsoft"), "com.microsoft import added");
            OrtEquivalence.assertSameOutputs(before, after);
        }
        assertEquals(0, pass.run(after, CTX).rewrites(), "idempotent");
        return after;
    }

    /** The refusal reasons of a run that must not rewrite. */
    static String refusal(Pass pass, Model model) {
        Model copy = ModelCopier.copy(model);
        PassResult r = pass.run(copy, CTX);
        assertEquals(0, r.rewrites(), () -> "no rewrite expected; diagnostics: " + r.diagnostics());
        assertEquals(-1, copy.opsetVersion("com.microsoft"), "no import added without a rewrite");
        return String.join("\n", r.diagnostics());
    }

    static Map<String, Integer> ops(Model m) {
        return PassManager.histogram(m);
    }

    static Value scalar(ModelBuilder b, String name, float v) {
        return b.constant(Tensor.ofFloats(name, new long[0], v));
    }

    static Attribute[] attrs(Attribute... a) {
        return a;
    }
}
