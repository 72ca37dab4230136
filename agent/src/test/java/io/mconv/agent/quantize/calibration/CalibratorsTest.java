package io.mconv.agent.quantize.calibration;

import io.mconv.passes.quantize.calibrated.TensorRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known histograms give known ranges. */
class CalibratorsTest {

    @Test
    void minMaxIsTheObservedRange() {
        assertEquals(new TensorRange(-2.5f, 7f), new MinMaxCalibrator().range(-2.5f, 7f, null));
        assertEquals(null, new MinMaxCalibrator().newHistogram(-1, 1));
    }

    @Test
    void histogramCountsAndQuantiles() {
        Histogram h = new Histogram(0, 10, 10, false);
        h.add(new float[] {0.5f, 1.5f, 1.6f, 9.99f, 10f, Float.NaN, -3f});
        assertEquals(6, h.total()); // NaN ignored; -3 and 10 land in the end bins
        assertEquals(2, h.count(0));
        assertEquals(2, h.count(1));
        assertEquals(2, h.count(9));
        assertEquals(2.0, h.quantile(0.5), 1e-12); // 4 of 6 at or below the top of bin 1
        assertEquals(10.0, h.quantile(1.0), 1e-12);
        assertEquals(0.0, h.lowerQuantile(0.0), 1e-12);
        Histogram abs = new Histogram(0, 4, 4, true);
        abs.add(new float[] {-3.5f, 3.5f, 0.1f});
        assertEquals(2, abs.count(3));
    }

    @Test
    void percentileClipsTheRareTail() {
        // 2048 bins over |x| in [0, 2048]: 99,999 values spread over bins 0..999, one outlier in the last bin.
        long[] counts = new long[2048];
        for (int i = 0; i < 1000; i++) {
            counts[i] = 100;
        }
        counts[999] = 99; // 99,999 in total below 1000
        counts[2047] = 1;
        Histogram h = Histogram.of(0, 2048, counts, true);
        PercentileCalibrator p = new PercentileCalibrator(99.99, true);
        TensorRange r = p.range(-2048, 2048, h);
        assertEquals(1000f, r.max(), 1e-3); // the upper edge of bin 999
        assertEquals(-1000f, r.min(), 1e-3);
        assertEquals(0f, p.range(0, 2048, h).min()); // never negative: [0, t]
        // 100% keeps the outlier.
        assertEquals(2048f, new PercentileCalibrator(100, true).range(-2048, 2048, h).max(), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> new PercentileCalibrator(30, true));
    }

    @Test
    void asymmetricPercentileCutsBothEnds() {
        // Raw values over [-100, 100] in 2000 bins of width 0.1: one value at each end, the rest in [-1, 1).
        long[] counts = new long[2000];
        for (int i = 990; i < 1010; i++) {
            counts[i] = 10_000;
        }
        counts[0] = 1;
        counts[1999] = 1;
        Histogram h = Histogram.of(-100, 100, counts, false);
        TensorRange r = new PercentileCalibrator(99.999, false).range(-100, 100, h);
        assertEquals(-1f, r.min(), 1e-3);
        assertEquals(1f, r.max(), 1e-3);
    }

    @Test
    void entropyThresholdIsTheFirstCandidateWhenAllMassFitsIn128Bins() {
        // Everything in bins 0..127 of 2048: 128 levels represent it exactly, so the smallest candidate wins.
        long[] counts = new long[2048];
        for (int i = 0; i < 128; i++) {
            counts[i] = 100 + (i % 7);
        }
        Histogram h = Histogram.of(0, 2048, counts, true);
        assertEquals(128.5, EntropyCalibrator.threshold(h), 1e-9);
        TensorRange r = new EntropyCalibrator().range(0, 127, h);
        assertEquals(0f, r.min());
        assertEquals(127f, r.max()); // cut to the observed max
        assertEquals(-128.5f, new EntropyCalibrator().range(-2048, 2048, h).min());
    }

    @Test
    void entropyClipsAnIrregularTailButKeepsAnIsolatedOutlier() {
        long[] counts = new long[2048];
        for (int i = 0; i < 512; i++) {
            counts[i] = 1000;
        }
        counts[2047] = 1;
        // One isolated value is represented exactly at the full range (Q spreads each level over non-empty bins
        // only), so KL keeps it; TensorRT's definition behaves the same.
        assertEquals(2048.0, EntropyCalibrator.threshold(Histogram.of(0, 2048, counts, true)), 1e-9);
        for (int i = 512; i < 2048; i++) {
            counts[i] = (i * 7919L) % 5; // a thin irregular tail of 0-4 per bin
        }
        double t = EntropyCalibrator.threshold(Histogram.of(0, 2048, counts, true));
        System.out.println("uniform block + irregular tail: threshold " + t);
        assertEquals(1986.5, t, 1e-9);
    }

    @Test
    void entropyKeepsTheWholeRangeOfAUniformDistribution() {
        long[] counts = new long[2048];
        java.util.Arrays.fill(counts, 50);
        double t = EntropyCalibrator.threshold(Histogram.of(0, 1, counts, true));
        assertTrue(t >= 0.99, "threshold " + t);
    }

    @Test
    void entropyPrefersTheBodyOfALongTailedDistribution() {
        // Exponentially decaying counts: the threshold clips the far tail.
        long[] counts = new long[2048];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.round(1e6 * Math.exp(-i / 64.0));
        }
        double t = EntropyCalibrator.threshold(Histogram.of(0, 2048, counts, true));
        // exp(-i/64): 99.99% of the mass lies below bin 590; the threshold lands just beyond it.
        assertEquals(605.5, t, 1e-9);
    }
}
