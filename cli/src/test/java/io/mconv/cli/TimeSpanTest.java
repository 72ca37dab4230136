package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.cli.options.TimeSpan;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TimeSpanTest {

    @Test
    void unitsFromNanosecondsToHours() {
        assertEquals(Duration.ofMillis(10), TimeSpan.parse("10ms"));
        assertEquals(Duration.ofSeconds(2), TimeSpan.parse("2s"));
        assertEquals(Duration.ofMillis(1500), TimeSpan.parse("1.5s"));
        assertEquals(Duration.ofNanos(500_000), TimeSpan.parse("500us"));
        assertEquals(Duration.ofNanos(250), TimeSpan.parse("250ns"));
        assertEquals(Duration.ofMinutes(2), TimeSpan.parse("2m"));
        assertEquals(Duration.ofHours(1), TimeSpan.parse("1h"));
        assertEquals(Duration.ofSeconds(3), TimeSpan.parse(" 3 S "), "case and spaces do not matter");
    }

    @Test
    void aBareNumberAnUnknownUnitAndZeroAreRefusedNamingTheValue() {
        for (String bad : new String[] {"10", "10x", "ms", "-1s", "1e3ms", ""}) {
            CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                    () -> TimeSpan.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertTrue(assertThrows(CommandLine.TypeConversionException.class, () -> TimeSpan.parse("0s"))
                .getMessage().contains("more than 0"));
        assertTrue(assertThrows(CommandLine.TypeConversionException.class, () -> TimeSpan.parse("0.5ns"))
                .getMessage().contains("whole number of nanoseconds"));
    }
}
