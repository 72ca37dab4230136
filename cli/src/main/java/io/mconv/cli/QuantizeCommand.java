package io.mconv.cli;

import io.mconv.agent.quantize.QuantizeMode;
import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.agent.quantize.QuantizeResult;
import io.mconv.agent.quantize.Quantizer;
import io.mconv.agent.quantize.advisor.AdvisorOptions;
import io.mconv.agent.quantize.advisor.QuantizationAdvisor;
import io.mconv.agent.quantize.StaticQuantizeOptions;
import io.mconv.agent.quantize.calibration.CalibrationMethod;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.render.AdviceRender;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.QuantizeRender;
import io.mconv.ir.DataType;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.QuantFormat;
import io.mconv.passes.quantize.calibrated.QuantType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv quantize MODEL -o OUT}: dynamic int8, weight-only int4/int8 or float16, measured before writing. */
@Command(name = "quantize",
        mixinStandardHelpOptions = true,
        description = "Quantize an ONNX model (dynamic int8, static int8 with calibration, weight-only int4/int8, "
                + "float16), measure it against the float model in ONNX Runtime (cosine, max abs error, top-1, size "
                + "and latency ratios) and write it only when it stays close.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv quantize bert.onnx -o bert.int8.onnx --reduce-range",
                "  mconv quantize bert.onnx -o bert.int8.onnx --format qdq --per-channel",
                "  mconv quantize resnet.onnx -o resnet.int8.onnx --mode static --per-channel --calibration calib/",
                "  mconv quantize llm.onnx -o llm.int4.onnx --mode weight-only --block-size 32",
                "  mconv quantize llm.onnx -o llm.int4.onnx --mode weight-only --target portable  # opset 21",
                "  mconv quantize resnet.onnx -o resnet.fp16.onnx --mode fp16 --exclude Softmax",
                "  mconv quantize bert.onnx --advise --max-accuracy-drop 0.005 --input-shape input_ids:1x128",
                "Exit codes: 0 ok, 1 the result drifts past the accuracy bar (nothing written), 2 usage, "
                        + "3 invalid model, 4 internal error"})
final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The float ONNX model.")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file (not with --advise).")
    Path out;

    @Option(names = "--advise", description = "Measure the candidate plans (size, ORT CPU latency, accuracy) on "
            + "this CPU and recommend one; writes nothing.")
    boolean advise;

    @Option(names = "--max-accuracy-drop", paramLabel = "X", defaultValue = "0.01", description = "--advise: the "
            + "largest accuracy drop (1 - cosine; for [N, classes] outputs also 1 - top-1 agreement) a recommended "
            + "plan may have. Default: ${DEFAULT-VALUE}.")
    double maxAccuracyDrop;

    @Option(names = "--mode", paramLabel = "MODE", description = "dynamic (default), static (calibrated int8), "
            + "weight-only, fp16.")
    String mode;

    @Option(names = "--calibration", paramLabel = "DIR", description = "static and --advise: a folder of "
            + "calibration samples (.pb TensorProtos or .npy arrays, one subfolder per sample), also the evaluation "
            + "inputs; without it seeded random inputs, which calibrate worse than real data.")
    Path calibration;

    @Option(names = "--calibrate", paramLabel = "METHOD", defaultValue = "minmax", description = "static: minmax, "
            + "percentile (99.999) or entropy. Default: ${DEFAULT-VALUE}.")
    String calibrate;

    @Option(names = "--activation-type", paramLabel = "T", defaultValue = "uint8", description = "static: uint8 "
            + "(U8S8) or int8 (S8S8) activations. Default: ${DEFAULT-VALUE}.")
    String activationType;

    @Option(names = "--include-conv", description = "dynamic: also quantize Conv (ConvInteger, or DequantizeLinear "
            + "weights with --format qdq). Off by default: ConvInteger runs several times slower than float Conv "
            + "on CPUs without VNNI.")
    boolean includeConv;

    @Option(names = "--precision", paramLabel = "P", description = "8bit (dynamic int8), 16bit (fp16) or 32bit "
            + "(no quantization), as the conversion config spells it; --mode wins when both are given.")
    String precision;

    @Option(names = "--format", paramLabel = "F", description = "qoperator (MatMulInteger; static: QLinearConv, "
            + "QLinearMatMul) or qdq (QuantizeLinear/DequantizeLinear around the float op). Default: qoperator for "
            + "dynamic, qdq for static.")
    String format;

    @Option(names = "--per-channel", description = "One scale per output channel of each weight.")
    boolean perChannel;

    @Option(names = "--symmetric", description = "Weights centred on zero (default for int8 dynamic and static); "
            + "static: activations too.")
    boolean symmetric;

    @Option(names = "--asymmetric", description = "Weights over their min..max (default for weight-only blocks; "
            + "static activations are always asymmetric unless --symmetric).")
    boolean asymmetric;

    @Option(names = "--weight-type", paramLabel = "T", description = "int8, uint8 (dynamic, static) or int4, int8 "
            + "(weight-only; int4 by default).")
    String weightType;

    @Option(names = "--reduce-range", description = "7-bit weights: avoids int16 saturation of u8s8 kernels on CPUs "
            + "without VNNI (AVX2 only), at a little resolution.")
    boolean reduceRange;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "32",
            description = "Weight-only rows of K per scale (power of two, >= 16). Default: ${DEFAULT-VALUE}.")
    int blockSize;

    @Option(names = "--exclude", split = ",", paramLabel = "NAME|OPTYPE", description = "Nodes (by name or op type) "
            + "to leave in float.")
    List<String> exclude = List.of();

    @Option(names = "--keep-io-types", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "fp16: keep float32 inputs and outputs (Casts at the boundary). Default: on.")
    boolean keepIoTypes;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "ort", description = "ort (weight-only as "
            + "com.microsoft::MatMulNBits) or portable (DequantizeLinear-21, opset raised to 21). Default: "
            + "${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--no-validate", description = "Write without measuring against the float model.")
    boolean noValidate;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    InputShapeOptions inputShapes;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (advise) {
            return advise();
        }
        if (out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: "
                    + "'--output=OUT' (or --advise to measure and recommend without writing)");
        }
        QuantizeMode m = mode();
        QuantizeResult result = m == QuantizeMode.STATIC
                ? new Quantizer(limitOptions.limits()).quantizeStatic(model, out, staticOptions(), !noValidate)
                : new Quantizer(limitOptions.limits()).quantize(model, out, options(m));
        result.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
        spec.commandLine().getErr().flush();
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), QuantizeRender.json(result));
        } else {
            QuantizeRender.text(result, output.verbose(), spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    /** The advisor's branch: measure the plans, render the table; nothing is written. */
    private int advise() throws IOException {
        AdvisorOptions options;
        try {
            options = AdvisorOptions.defaults().withMaxAccuracyDrop(maxAccuracyDrop).withCalibration(calibration)
                    .withInputShapes(inputShapes.shapes());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        var advice = new QuantizationAdvisor(limitOptions.limits()).advise(model, options);
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), AdviceRender.json(advice));
        } else {
            AdviceRender.text(advice, output.verbose(), spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    private QuantizeMode mode() {
        try {
            if (symmetric && asymmetric) {
                throw new IllegalArgumentException("--symmetric and --asymmetric exclude each other");
            }
            QuantizeMode m = mode != null ? QuantizeMode.parse(mode)
                    : precision != null ? QuantizeMode.forPrecision(precision) : QuantizeMode.DYNAMIC;
            if (mode != null && precision != null) {
                QuantizeMode.forPrecision(precision); // still reject a misspelled precision
            }
            if (m != QuantizeMode.STATIC) {
                staticOnly("--calibration", calibration != null);
                staticOnly("--calibrate", spec.commandLine().getParseResult().hasMatchedOption("--calibrate"));
                staticOnly("--activation-type",
                        spec.commandLine().getParseResult().hasMatchedOption("--activation-type"));
            }
            if (includeConv && m != QuantizeMode.DYNAMIC) {
                throw new IllegalArgumentException("--include-conv is for --mode dynamic (static int8 always "
                        + "quantizes Conv)");
            }
            return m;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void staticOnly(String option, boolean given) {
        if (given) {
            throw new IllegalArgumentException(option + " is for --mode static");
        }
    }

    private QuantizeOptions options(QuantizeMode m) {
        try {
            DataType type = weightType == null ? null : switch (weightType.toLowerCase(Locale.ROOT)) {
                case "int8" -> DataType.INT8;
                case "uint8" -> DataType.UINT8;
                case "int4" -> DataType.INT4;
                default -> throw new IllegalArgumentException("unknown --weight-type '" + weightType
                        + "' (accepted: int8, uint8, int4)");
            };
            Boolean sym = symmetric ? Boolean.TRUE : asymmetric ? Boolean.FALSE : null;
            return new QuantizeOptions(m, QuantFormat.parse(format == null ? "qoperator" : format), perChannel, sym,
                    type, reduceRange, blockSize, Target.parse(target), exclude, keepIoTypes, inputShapes.shapes(),
                    !noValidate, 5, includeConv);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Static int8 from the same options: weights symmetric int8 unless --asymmetric, activations asymmetric unless
     * --symmetric (ONNX Runtime's defaults), QDQ unless --format qoperator; 16 random calibration samples and 4
     * evaluation samples of another seed when there is no --calibration folder.
     */
    private StaticQuantizeOptions staticOptions() {
        try {
            QuantType weights = weightType == null ? QuantType.INT8 : QuantType.parse(weightType);
            StaticQuantizeOptions d = StaticQuantizeOptions.defaults();
            return new StaticQuantizeOptions(CalibrationMethod.parse(calibrate), d.percentile(), perChannel,
                    symmetric, !asymmetric, QuantType.parse(activationType), weights, reduceRange,
                    StaticQuantizeOptions.QuantFormat.parse(format == null ? "qdq" : format), Target.parse(target),
                    calibration, d.randomSamples(), d.seed(), Set.copyOf(exclude), inputShapes.shapes(),
                    d.evaluationSamples(), 5);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
