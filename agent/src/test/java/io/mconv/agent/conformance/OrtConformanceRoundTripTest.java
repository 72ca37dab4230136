package io.mconv.agent.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The foundation's promise: every conformance model ORT runs as given still runs and matches its stored outputs
 * after mconv reads it into the IR and writes it back. A model that regresses fails the build.
 */
class OrtConformanceRoundTripTest {

    @Test
    void everyModelOrtRunsStillRunsAndMatchesAfterTheIrRoundTrip() throws Exception {
        OrtConformanceHarness.Outcome o = OrtConformanceHarness.run(model -> { }, "the IR round trip");
        assertTrue(o.runsOriginal() > 850, "expected most of the suite to run in ORT, got " + o.runsOriginal());
        assertEquals(List.of(), o.regressions());
    }
}
