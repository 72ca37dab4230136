package io.mconv.agent.options;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times as users write them: {@code 500us}, {@code 10ms}, {@code 2s}, {@code 1.5s}, {@code 2m}, {@code 1h}. A unit
 * is required: a bare {@code 10} could mean seconds or milliseconds, and guessing wrong costs a 1000-fold run.
 */
public final class TimeSpan {

    private static final Pattern TIME = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Zµ]+)");

    private TimeSpan() {
    }

    /** @throws IllegalArgumentException naming the value and the accepted forms */
    public static Duration parse(String text) {
        Matcher m = TIME.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw bad(text);
        }
        long nanosPerUnit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s", "sec" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw bad(text);
        };
        try {
            long nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact();
            if (nanos <= 0) {
                throw new IllegalArgumentException("invalid time '" + text + "': must be more than 0");
            }
            return Duration.ofNanos(nanos);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid time '" + text + "': not a whole number of "
                    + "nanoseconds or too large");
        }
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("invalid time '" + text + "' (examples: 500us, 10ms, 2s, "
                + "1.5s, 2m; units ns, us, ms, s, m, h)");
    }

}
