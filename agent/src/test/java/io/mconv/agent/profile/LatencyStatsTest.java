package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesInterpolateBetweenRanksLikeNumpy() {
        // numpy.percentile([1..10], q) with linear interpolation: 50 -> 5.5, 90 -> 9.1, 95 -> 9.55, 99 -> 9.91
        double[] v = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
        LatencyStats s = LatencyStats.of(v);
        assertEquals(10, s.count());
        assertEquals(5.5, s.mean(), 1e-12);
        assertEquals(5.5, s.p50(), 1e-12);
        assertEquals(9.1, s.p90(), 1e-12);
        assertEquals(9.55, s.p95(), 1e-12);
        assertEquals(9.91, s.p99(), 1e-12);
        assertEquals(1, s.min());
        assertEquals(10, s.max());
        // sample standard deviation of 1..10: sqrt(82.5 / 9)
        assertEquals(Math.sqrt(82.5 / 9), s.stddev(), 1e-12);
    }

    @Test
    void oddCountMedianIsTheMiddleSample() {
        LatencyStats s = LatencyStats.of(new double[] {4, 1, 100});
        assertEquals(4, s.p50());
        assertEquals(100, s.max());
        assertEquals(4 + (100 - 4) * 0.8, s.p90(), 1e-12, "position 0.9 * 2 = 1.8 between 4 and 100");
    }

    @Test
    void singleSampleHasEveryPercentileEqualAndNoSpread() {
        LatencyStats s = LatencyStats.of(new double[] {2.5});
        assertEquals(2.5, s.p50());
        assertEquals(2.5, s.p99());
        assertEquals(0, s.stddev());
    }

    @Test
    void inputArrayIsNotReordered() {
        double[] v = {3, 1, 2};
        LatencyStats.of(v);
        assertArrayEquals(new double[] {3, 1, 2}, v);
    }

    @Test
    void emptyAndOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(new double[] {1}, 101));
    }

    @Test
    void nanosBecomeMillis() {
        assertArrayEquals(new double[] {1.5, 0.000001}, LatencyStats.nanosToMillis(new long[] {1_500_000, 1}));
    }

    @Test
    void histogramCountsEverySampleOnceWithTheMaximumInTheLastBin() {
        LatencyHistogram h = LatencyHistogram.of(new double[] {1, 1.1, 2, 2.9, 3}, 2);
        assertEquals(1, h.startMs());
        assertEquals(1, h.binMs(), 1e-12);
        assertArrayEquals(new int[] {2, 3}, h.counts());
        LatencyHistogram flat = LatencyHistogram.of(new double[] {5, 5, 5}, 10);
        assertArrayEquals(new int[] {3}, flat.counts());
        assertEquals(0, flat.binMs());
    }
}
