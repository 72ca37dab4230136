package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The first half of a timing loop against the second: a machine whose speed changed mid-measurement. */
class LatencyDriftTest {

    /** n samples: the first half at {@code first} ms, the rest at {@code second}, with a little jitter. */
    private static double[] steps(int n, double first, double second) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = (i < n / 2 ? first : second) * (1 + 0.01 * ((i * 7) % 5 - 2));
        }
        return s;
    }

    @Test
    void aSteadyLoopHasNoDrift() {
        LatencyDrift d = LatencyDrift.of(steps(100, 4.0, 4.0)).orElseThrow();
        assertEquals(4.0, d.firstHalfP50(), 0.05);
        assertEquals(4.0, d.secondHalfP50(), 0.05);
        assertFalse(d.significant(), "relative " + d.relative());
    }

    @Test
    void aSlowdownMidwayIsReportedWithBothMedians() {
        // What this machine does: 0.08 ms runs, then a phase at 0.14 ms.
        LatencyDrift d = LatencyDrift.of(steps(200, 0.08, 0.14)).orElseThrow();
        assertEquals(0.08, d.firstHalfP50(), 0.002);
        assertEquals(0.14, d.secondHalfP50(), 0.003);
        assertEquals(0.75, d.relative(), 0.05);
        assertTrue(d.significant());
        String w = d.warning("latency");
        assertTrue(w.startsWith("latency: the median of the first half of the runs was 0.080 ms and of the second "
                + "half 0.140 ms (75% apart)"), w);
        assertTrue(w.contains("--duration"), w);
    }

    @Test
    void aSpeedUpCountsToo() {
        assertTrue(LatencyDrift.of(steps(50, 6.0, 4.5)).orElseThrow().significant());
    }

    @Test
    void tenPercentIsTheLine() {
        assertFalse(LatencyDrift.of(steps(100, 1.0, 1.09)).orElseThrow().significant());
        assertTrue(LatencyDrift.of(steps(100, 1.0, 1.12)).orElseThrow().significant());
    }

    @Test
    void aFewOutliersDoNotMakeADrift() {
        double[] s = steps(100, 2.0, 2.0);
        Arrays.fill(s, 10, 20, 9.0); // ten hiccups in the first half
        assertFalse(LatencyDrift.of(s).orElseThrow().significant());
    }

    @Test
    void tooFewRunsToCompareHalves() {
        assertTrue(LatencyDrift.of(steps(LatencyDrift.MIN_RUNS - 1, 1, 2)).isEmpty());
        assertTrue(LatencyDrift.of(steps(LatencyDrift.MIN_RUNS, 1, 2)).isPresent());
    }

    @Test
    void anOddCountComparesEqualHalvesAndSkipsTheMiddleRun() {
        double[] s = steps(21, 1.0, 1.0);
        s[10] = 100; // the middle run belongs to neither half
        LatencyDrift d = LatencyDrift.of(s).orElseThrow();
        assertEquals(1.0, d.firstHalfP50(), 0.02);
        assertEquals(1.0, d.secondHalfP50(), 0.02);
    }

    private static BatchProfile loop(Integer batch, double[] ms) {
        return new BatchProfile(batch, java.util.Map.of("x", new long[] {1}), LatencyStats.of(ms), ms, 1, -1, false,
                Double.NaN, LatencyHistogram.of(ms, 10));
    }

    @Test
    void aProfileSaysWhichLoopDriftedAmongItsMeasurementWarnings() {
        BatchProfile steady = loop(null, steps(40, 2.0, 2.0));
        BatchProfile drifting = loop(8, steps(40, 2.0, 3.0));
        assertTrue(steady.driftWarning("latency").isEmpty());
        assertTrue(drifting.driftWarning("latency").orElseThrow().startsWith("latency at batch 8: the median of the "
                + "first half of the runs was 2.000 ms and of the second half 3.000 ms (50% apart)"));
        ModelProfile p = new ModelProfile(java.nio.file.Path.of("m.onnx"), "onnxruntime", java.util.List.of("cpu"),
                java.util.List.of(), 1, 1, java.util.List.of(steady, drifting), null, null, "");
        assertEquals(java.util.List.of(), p.warnings(), "the set-up's warnings stay apart");
        assertEquals(1, p.measurementWarnings().size());
        assertTrue(p.measurementWarnings().get(0).startsWith("latency at batch 8: "), p.measurementWarnings().get(0));
    }
}
