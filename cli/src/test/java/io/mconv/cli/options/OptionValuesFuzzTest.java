package io.mconv.cli.options;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Fuzzes the parsers of option values the CLI converts itself (BAD_INPUTS 21): {@code --input-shape},
 * sizes, times and {@code --dynamic-axes}. The input's bytes, as UTF-8, are the option value. The contract: a
 * parsed value, or picocli's {@link CommandLine.ParameterException} / {@link CommandLine.TypeConversionException},
 * which the CLI reports as a usage error (exit 2) naming the value. Anything else would be exit 4, a finding.
 */
class OptionValuesFuzzTest {

    private static String value(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void inputShape(byte[] data) {
        try {
            io.mconv.agent.options.InputShapeSpec spec = new InputShapeOptions.SpecConverter().convert(value(data));
            assertFalse(spec.name().isEmpty(), "accepted an empty input name");
            spec.shape().dims().forEach(d -> assertTrue(!d.isKnown() || d.value() >= 0, "negative dimension"));
        } catch (CommandLine.TypeConversionException e) {
            assertTrue(e.getMessage().startsWith("invalid input shape '"), e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void byteSize(byte[] data) {
        try {
            assertTrue(ByteSize.parse(value(data)) >= 0, "negative size");
        } catch (CommandLine.TypeConversionException e) {
            assertTrue(e.getMessage().startsWith("invalid size '"), e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void timeSpan(byte[] data) {
        try {
            Duration d = TimeSpan.parse(value(data));
            assertTrue(d.toNanos() > 0, "a time of zero or less");
        } catch (CommandLine.TypeConversionException e) {
            assertTrue(e.getMessage().startsWith("invalid time '"), e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void dynamicAxes(byte[] data) {
        CommandLine commandLine = new CommandLine(CommandLine.Model.CommandSpec.create());
        DynamicAxesOptions options = new DynamicAxesOptions();
        // Repeated options arrive as a list: one value per line of the input.
        options.values = List.of(value(data).split("\n", -1));
        try {
            Map<String, Map<Integer, String>> axes = options.axes(commandLine);
            axes.values().forEach(byAxis -> byAxis.keySet().forEach(axis -> assertTrue(axis >= 0, "negative axis")));
            assertNotNull(axes);
        } catch (CommandLine.ParameterException e) {
            assertTrue(e.getMessage().startsWith("invalid --dynamic-axes '"), e.getMessage());
        }
    }
}
