package io.mconv.limits;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every resource limit mconv applies to the files it reads, in one place: the name users type after
 * {@code --limit}, the default, the unit and what it bounds. The defaults are far above what real models need and
 * far below what would exhaust memory or the stack; a hostile or broken file that passes one is refused with an
 * error naming it (see {@link #exceeded}).
 */
public enum Limit {
    PROTOBUF_DEPTH("protobuf-depth", 64, Unit.COUNT,
            "message nesting in an ONNX protobuf (each subgraph level costs three)"),
    GRAPH_DEPTH("graph-depth", 32, Unit.COUNT,
            "subgraphs nested inside If/Loop/Scan bodies of an ONNX model"),
    ZIP_DIRECTORY_SIZE("zip-directory-size", 64L << 20, Unit.BYTES,
            "central directory of a zip archive (.pt TorchScript or torch.save file)"),
    INFLATE_RATIO("inflate-ratio", 100, Unit.COUNT,
            "inflated size over compressed size of a zip entry above 1 MiB (zip bombs)"),
    PICKLE_SIZE("pickle-size", 64L << 20, Unit.BYTES,
            "one pickle (data.pkl, constants.pkl) inside a PyTorch archive"),
    PICKLE_DEPTH("pickle-depth", 1000, Unit.COUNT,
            "nesting of containers and MARKs in a pickle"),
    PICKLE_OBJECTS("pickle-objects", 10_000_000L, Unit.COUNT,
            "values a pickle may create"),
    CODE_SIZE("code-size", 64L << 20, Unit.BYTES,
            "one TorchScript source file (code/...py) inside an archive"),
    SCRIPT_NESTING_DEPTH("script-nesting-depth", 200, Unit.COUNT,
            "nesting of blocks, brackets, operators and calls in one TorchScript source file"),
    SCRIPT_CALL_DEPTH("script-call-depth", 200, Unit.COUNT,
            "nested calls while TorchScript code is traced at export time"),
    SCRIPT_LOOP_ITERATIONS("script-loop-iterations", 100_000, Unit.COUNT,
            "iterations of one while loop run at export time"),
    PROFILE_INPUT_SIZE("profile-input-size", 1L << 30, Unit.BYTES,
            "one input_N.pb of profile --inputs (feeds are held in memory)"),
    TEST_INPUT_SIZE("test-input-size", Integer.MAX_VALUE - 16, Unit.BYTES,
            "one input_N.pb of validate --inputs or a calibration folder (2 GiB at most: one Java array)");

    /** How a value is counted, which decides how it is parsed and printed. */
    public enum Unit { COUNT, BYTES }

    private final String flagName;
    private final long defaultValue;
    private final Unit unit;
    private final String description;

    Limit(String flagName, long defaultValue, Unit unit, String description) {
        this.flagName = flagName;
        this.defaultValue = defaultValue;
        this.unit = unit;
        this.description = description;
    }

    /** The name as written after {@code --limit}. */
    public String flagName() {
        return flagName;
    }

    public long defaultValue() {
        return defaultValue;
    }

    public Unit unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    public static Optional<Limit> byName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.flagName.equals(wanted)).findFirst();
    }

    /** All names, comma separated, for usage errors. */
    public static String names() {
        return Arrays.stream(values()).map(Limit::flagName).collect(Collectors.joining(", "));
    }

    /** The value as a user would write it: {@code 64MiB} for round binary sizes, the plain number otherwise. */
    public String format(long value) {
        if (unit == Unit.BYTES && value > 0) {
            for (String suffix : new String[] {"GiB", "MiB", "KiB"}) {
                long scale = switch (suffix) {
                    case "GiB" -> 1L << 30;
                    case "MiB" -> 1L << 20;
                    default -> 1L << 10;
                };
                if (value % scale == 0) {
                    return value / scale + suffix;
                }
            }
        }
        return Long.toString(value);
    }

    /**
     * The tail every refusal by this limit ends with, so the user learns which limit it was and how to raise it:
     * {@code exceeds limit pickle-depth=1000; raise it with --limit pickle-depth=N}. Callers write what happened,
     * a colon, then this.
     */
    public String exceeded(long value) {
        return "exceeds limit " + flagName + "=" + format(value) + "; raise it with --limit " + flagName + "=N";
    }
}
