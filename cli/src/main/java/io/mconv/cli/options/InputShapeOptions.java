package io.mconv.cli.options;

import io.mconv.agent.options.InputShapeSpec;
import io.mconv.ir.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --input-shape NAME:DIMS[:DTYPE]}, repeatable: fixes symbolic input dimensions. */
public final class InputShapeOptions {

    @Option(names = "--input-shape", paramLabel = "NAME:DIMS[:DTYPE]", converter = SpecConverter.class,
            description = "Fix an input's shape, e.g. input:1x3x224x224 (repeatable).")
    List<InputShapeSpec> specs = List.of();

    /** The specs as given, with their data types (null when not given). */
    public List<InputShapeSpec> specs() {
        return List.copyOf(specs);
    }

    public Map<String, Shape> shapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        specs.forEach(s -> out.put(s.name(), s.shape()));
        return out;
    }

    /** picocli converter: a bad value is a usage error naming the value and what is accepted. */
    public static final class SpecConverter implements CommandLine.ITypeConverter<InputShapeSpec> {
        @Override
        public InputShapeSpec convert(String value) {
            try {
                return InputShapeSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
