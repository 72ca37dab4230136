package io.mconv.agent.options;

import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.torch.export.InputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --input-shape NAME:DIMS[:DTYPE]} value: {@code input:1x3x224x224}, {@code ids:batchx128:int64},
 * {@code x:?x16}. Names may contain colons (TensorFlow's {@code input:0}): the shape is the last field, or the one
 * before a trailing data type.
 */
public record InputShapeSpec(String name, Shape shape, DataType dataType) {

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public static InputShapeSpec parse(String value) {
        List<String> parts = new ArrayList<>(Arrays.asList(value.split(":", -1)));
        if (parts.size() < 2) {
            throw bad(value, "expected NAME:DIMS[:DTYPE], for example input:1x3x224x224");
        }
        DataType type = null;
        if (parts.size() >= 3) {
            String last = parts.get(parts.size() - 1);
            type = DataType.fromName(last).orElse(null);
            if (type != null) {
                parts.remove(parts.size() - 1);
            } else if (!looksLikeDims(last)) {
                throw bad(value, "unknown data type '" + last + "' (accepted: float32, float16, bfloat16, float64, "
                        + "int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool, string)");
            }
        }
        String dims = parts.remove(parts.size() - 1);
        String name = String.join(":", parts);
        if (name.isEmpty()) {
            throw bad(value, "the input name is empty");
        }
        return new InputShapeSpec(name, parseDims(value, dims), type);
    }

    private static boolean looksLikeDims(String s) {
        return s.matches("[0-9?xA-Za-z_-]+") && s.contains("x");
    }

    private static Shape parseDims(String value, String dims) {
        if (dims.isEmpty()) {
            throw bad(value, "the shape is empty (use 'scalar' for a rank-0 input)");
        }
        if (dims.equals("scalar")) {
            return new Shape(List.of());
        }
        List<Dim> out = new ArrayList<>();
        for (String d : dims.split("x", -1)) {
            if (d.equals("?")) {
                out.add(Dim.unknown());
            } else if (d.matches("[0-9]+")) {
                try {
                    out.add(Dim.of(Long.parseLong(d)));
                } catch (NumberFormatException e) {
                    throw bad(value, "dimension '" + d + "' is too large");
                }
            } else if (SYMBOL.matcher(d).matches()) {
                out.add(Dim.symbolic(d));
            } else {
                throw bad(value, "bad dimension '" + d + "': each dimension is a non-negative integer, '?' or a name, "
                        + "separated by 'x' (for example 1x3x224x224)");
            }
        }
        return new Shape(out);
    }

    /** The exporter's input: the given type, float32 when none was given. */
    public InputSpec exportInput() {
        return new InputSpec(name, shape, dataType == null ? DataType.FLOAT : dataType);
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException("invalid input shape '" + value + "': " + why);
    }
}
