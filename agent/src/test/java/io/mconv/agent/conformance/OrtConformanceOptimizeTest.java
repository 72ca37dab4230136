package io.mconv.agent.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's conformance goal: every conformance model ORT runs as given still runs and matches its stored outputs
 * after {@code -O aggressive} (portable target; the verifier runs after every pass). The test prints the count.
 */
class OrtConformanceOptimizeTest {

    @Test
    void everyModelStillMatchesAfterAggressiveOptimization() throws Exception {
        PassManager manager = new PassManager(PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE,
                Target.PORTABLE, List.of(), List.of()));
        PassContext context = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.PORTABLE).withVerifyEach(true);
        OrtConformanceHarness.Outcome o = OrtConformanceHarness.run(model -> manager.run(model, context),
                "mconv optimize -O aggressive");
        assertTrue(o.runsOriginal() > 850, "expected most of the suite to run in ORT, got " + o.runsOriginal());
        assertEquals(List.of(), o.regressions());
    }
}
