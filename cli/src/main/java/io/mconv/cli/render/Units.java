package io.mconv.cli.render;

import java.util.Locale;

/** Human-readable numbers for text output: {@code 44.6 MB}, {@code 11.68M}, {@code 1.81G}. */
public final class Units {

    private Units() {
    }

    /** Decimal units, as file managers and model hubs show sizes. */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** Counts with K/M/G suffixes and two decimals, as parameter and MAC counts are usually quoted. */
    public static String count(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        String[] units = {"K", "M", "G", "T"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[i]);
    }
}
