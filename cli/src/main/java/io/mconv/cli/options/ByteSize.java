package io.mconv.cli.options;

import picocli.CommandLine;

/**
 * Sizes on the command line ({@code 50MB}, {@code 1.5GiB}): the agent's parser
 * ({@link io.mconv.agent.options.ByteSize}), with a bad value as picocli's usage error.
 */
public final class ByteSize {

    private ByteSize() {
    }

    /** @throws CommandLine.TypeConversionException naming the value and the accepted forms */
    public static long parse(String text) {
        try {
            return io.mconv.agent.options.ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** picocli converter. */
    public static final class Converter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }
    }
}
