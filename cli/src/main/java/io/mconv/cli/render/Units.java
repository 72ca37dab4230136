package io.mconv.cli.render;

import java.util.Locale;

/** Human-readable numbers for text output: {@code 44.6 MB}, {@code 11.68M}, {@code 1.81G}. */
public final class Units {

    private Units() {
    }

    /** Decimal units, as file managers and model hubs show sizes. */
    public static String bytes(long n) {
        return n < 1000 ? n + " B" : scaled(n, "%.1f %s", "kB", "MB", "GB", "TB");
    }

    /** Counts with K/M/G suffixes and two decimals, as parameter and MAC counts are usually quoted. */
    public static String count(long n) {
        return n < 1000 ? Long.toString(n) : scaled(n, "%.2f%s", "K", "M", "G", "T");
    }

    /** {@code n} divided by 1000 until it is under 1000 (or the units run out), formatted with its unit. */
    private static String scaled(long n, String format, String... units) {
        double v = n;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, format, v, units[i]);
    }
}
