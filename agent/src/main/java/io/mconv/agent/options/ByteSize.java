package io.mconv.agent.options;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as users write them: {@code 1024}, {@code 50MB}, {@code 1.5GiB}, {@code 4k}. Decimal and binary units. */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]*)");

    private ByteSize() {
    }

    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw bad(text);
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "kb" -> 1_000L;
            case "kib" -> 1L << 10;
            case "m", "mb" -> 1_000_000L;
            case "mib" -> 1L << 20;
            case "g", "gb" -> 1_000_000_000L;
            case "gib" -> 1L << 30;
            case "t", "tb" -> 1_000_000_000_000L;
            case "tib" -> 1L << 40;
            default -> throw bad(text);
        };
        try {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid size '" + text + "': not a whole number of bytes "
                    + "or too large");
        }
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("invalid size '" + text + "' (examples: 1024, 4KB, 50MB, "
                + "1.5GiB)");
    }

}
