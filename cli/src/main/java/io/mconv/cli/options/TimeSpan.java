package io.mconv.cli.options;

import java.time.Duration;
import picocli.CommandLine;

/**
 * Times on the command line ({@code 10ms}, {@code 2s}): the agent's parser ({@link io.mconv.agent.options.TimeSpan}),
 * with a bad value as picocli's usage error.
 */
public final class TimeSpan {

    private TimeSpan() {
    }

    /** @throws CommandLine.TypeConversionException naming the value and the accepted forms */
    public static Duration parse(String text) {
        try {
            return io.mconv.agent.options.TimeSpan.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** picocli converter. */
    public static final class Converter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value);
        }
    }
}
