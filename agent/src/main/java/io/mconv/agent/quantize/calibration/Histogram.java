package io.mconv.agent.quantize.calibration;

/**
 * Counts of values in equal-width bins over [lo, hi]; values outside go to the end bins (the range is known from a
 * first min/max pass, so that only happens through rounding). NaNs are ignored. In absolute mode each value is
 * counted as |x|, the form the symmetric calibrators use.
 */
public final class Histogram {

    private final double lo;
    private final double hi;
    private final long[] counts;
    private final boolean absolute;
    private long total;

    public Histogram(double lo, double hi, int bins, boolean absolute) {
        if (bins < 1 || !(hi >= lo)) {
            throw new IllegalArgumentException("histogram needs bins >= 1 and lo <= hi: " + bins + ", [" + lo + ", "
                    + hi + "]");
        }
        this.lo = lo;
        this.hi = hi;
        this.counts = new long[bins];
        this.absolute = absolute;
    }

    /** A histogram with the given counts (for tests and for known distributions). */
    public static Histogram of(double lo, double hi, long[] counts, boolean absolute) {
        Histogram h = new Histogram(lo, hi, counts.length, absolute);
        for (int i = 0; i < counts.length; i++) {
            h.counts[i] = counts[i];
            h.total += counts[i];
        }
        return h;
    }

    public void add(float[] values) {
        int n = counts.length;
        double width = (hi - lo) / n;
        for (float f : values) {
            if (Float.isNaN(f)) {
                continue;
            }
            double x = absolute ? Math.abs(f) : f;
            int bin = width == 0 ? 0 : (int) ((x - lo) / width);
            counts[Math.max(0, Math.min(n - 1, bin))]++;
            total++;
        }
    }

    public int bins() {
        return counts.length;
    }

    public long count(int bin) {
        return counts[bin];
    }

    public long[] counts() {
        return counts.clone();
    }

    public long total() {
        return total;
    }

    public double lo() {
        return lo;
    }

    public double hi() {
        return hi;
    }

    public double binWidth() {
        return (hi - lo) / counts.length;
    }

    public boolean absolute() {
        return absolute;
    }

    /**
     * An upper quantile: the upper edge of the first bin where the cumulative count reaches {@code q * total}, so
     * at least that fraction of the counts lies at or below it (q = 1 gives the top of the last non-empty bin).
     */
    public double quantile(double q) {
        checkFraction(q);
        double target = q * total;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            if (counts[i] > 0 && cumulative >= target) {
                return lo + (i + 1) * binWidth();
            }
        }
        return hi;
    }

    /**
     * A lower quantile: the lower edge of the first bin where the cumulative count exceeds {@code q * total}, so at
     * most that fraction of the counts lies below it (q = 0 gives the bottom of the first non-empty bin).
     */
    public double lowerQuantile(double q) {
        checkFraction(q);
        double target = q * total;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            if (counts[i] > 0 && cumulative > target) {
                return lo + i * binWidth();
            }
        }
        return lo;
    }

    private static void checkFraction(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
        }
    }
}
