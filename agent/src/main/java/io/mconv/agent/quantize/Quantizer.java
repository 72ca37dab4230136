package io.mconv.agent.quantize;

import io.mconv.limits.Limits;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.quantize.advisor.CpuFeatures;
import io.mconv.agent.runtime.BackgroundOpen;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.cleanup.EliminateDeadCode;
import io.mconv.passes.PassReport;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchemaRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code mconv quantize}: reads a model, converts its opset when the chosen form needs a newer one, quantizes it
 * (the plan's passes, or calibrated static int8), measures the result against the float model in ONNX Runtime
 * (cosine per output against the plan's bar, max abs error, top-1 agreement; median latency ratio) and only then
 * writes it, atomically. A result below the bar is not written ({@link ValidationFailedException}, exit 1).
 */
public final class Quantizer {

    private static final long SEED = 0;

    /** Static int8 is held to the bar of dynamic int8: 256 steps per tensor keep a CNN's output direction. */
    static final double STATIC_MIN_COSINE = 0.99;

    private final OpSchemaRegistry schemas;
    private final ModelLoader loader;
    private final Limits limits;

    public Quantizer() {
        this(Limits.defaults());
    }

    /** Reads models under {@code limits}. */
    public Quantizer(Limits limits) {
        this(OpSchemaRegistry.standard(), limits);
    }

    public Quantizer(OpSchemaRegistry schemas) {
        this(schemas, Limits.defaults());
    }

    public Quantizer(OpSchemaRegistry schemas, Limits limits) {
        this.schemas = schemas;
        this.loader = new ModelLoader(limits);
        this.limits = limits;
    }

    /**
     * Dynamic int8, weight-only, float16 or none; static int8 is {@link #quantizeStatic}.
     *
     * @throws InvalidOptionException    options this model cannot honour (an opset that cannot be converted)
     * @throws ValidationFailedException the result drifts past the bar or does not run; nothing is written
     */
    public QuantizeResult quantize(Path source, Path out, QuantizeOptions options) throws IOException {
        long start = System.nanoTime();
        QuantizationPlan plan = QuantizationPlan.from(options);
        try (IrModelFile file = loader.load(source)) {
            Model model = file.model();
            int opsetBefore = model.opsetVersion("");
            convertOpset(model, plan);
            PassContext context = new PassContext(OptimizationLevel.AGGRESSIVE, options.target(), schemas,
                    options.inputShapes(), false);
            PassReport report = new PassManager(plan.passes()).run(model, context);
            // The float weights and biases the rewrites replaced are read by nothing now: drop them, or ONNX
            // Runtime warns about each one on every load (and the file carries them for nothing).
            new EliminateDeadCode().run(model, context);
            // the manager runs the passes to a fixed point, so a refusal is noted once per run: keep one of each
            List<String> notes = new ArrayList<>(new LinkedHashSet<>(report.diagnostics()));
            Measured measured = options.validate()
                    ? measure(source, model, inputs -> randomInputs(source, inputs, options.inputShapes()),
                    plan.minCosine(), tolerance(plan), options.latencyRuns(),
                    SaturationAdvice.forDynamic(options, CpuFeatures.detect()).orElse(null))
                    : Measured.NOT;
            WriteResult written = save(file, model, out);
            return new QuantizeResult(source, plan.description(), plan.precision(),
                    StaticQuantizer.sizeOf(file.inputFiles()), written, opsetBefore, model.opsetVersion(""), report,
                    notes, List.of(), measured.quality(), measured.latency(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Static int8: calibrated, measured on the evaluation inputs of {@link StaticQuantizer.Applied} against the
     * {@link #STATIC_MIN_COSINE} bar, written only when it clears it.
     *
     * @param validate false writes without measuring (the user measures on their own data)
     * @throws InvalidOptionException    an opset that cannot be converted to 13
     * @throws ValidationFailedException the result drifts past the bar or does not run; nothing is written
     */
    public QuantizeResult quantizeStatic(Path source, Path out, StaticQuantizeOptions options, boolean validate)
            throws IOException {
        long start = System.nanoTime();
        try (IrModelFile file = loader.load(source)) {
            Model model = file.model();
            int opsetBefore = model.opsetVersion("");
            StaticQuantizer.Applied applied;
            try {
                applied = new StaticQuantizer(limits).apply(model, options);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("static int8 needs opset 13, and this model's opset "
                        + opsetBefore + " cannot be converted: " + e.getMessage());
            }
            List<String> notes = new ArrayList<>(new LinkedHashSet<>(applied.passes().diagnostics()));
            List<String> warnings = applied.warnings().stream().filter(w -> !notes.contains(w)).toList();
            Measured measured = validate
                    ? measure(source, model, inputs -> applied.evaluation(), STATIC_MIN_COSINE, Tolerance.INT8,
                    options.latencyRuns(), null)
                    : Measured.NOT;
            WriteResult written = save(file, model, out);
            return new QuantizeResult(source, describe(options, applied), "int8",
                    StaticQuantizer.sizeOf(file.inputFiles()), written, opsetBefore, model.opsetVersion(""),
                    applied.passes(), notes, warnings, measured.quality(), measured.latency(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private record Measured(QualityReport quality, LatencyComparison latency) {
        static final Measured NOT = new Measured(null, null);
    }

    /**
     * Accuracy first, against the bar; latency only for a model that will be written.
     *
     * @param advice what likely recovers a miss on this CPU (said after the failure), or null
     */
    private static Measured measure(Path source, Model quantized,
                                    Function<Map<String, ValueType>, List<Map<String, Tensor>>> evaluation,
                                    double minCosine, Tolerance tolerance, int latencyRuns, String advice) {
        // The two sessions are created side by side: on a large model that is most of the time the check takes.
        try (BackgroundOpen<OrtModelRunner> opening = BackgroundOpen.start(
                () -> FloatReference.openCandidate(quantized));
             FloatReference reference = FloatReference.open(source)) {
            OrtModelRunner candidate = opening.get();
            List<Map<String, Tensor>> inputs = evaluation.apply(reference.oracle().inputs());
            QualityReport quality;
            try {
                quality = reference.quality(candidate, inputs, minCosine, tolerance);
            } catch (ValidationFailedException e) {
                throw new ValidationFailedException(source + ": " + e.getMessage(), null);
            }
            if (!quality.passed()) {
                throw new ValidationFailedException(source + ": the quantized model drifts too far from the "
                        + "float model (" + quality.firstFailure() + "); nothing was written. "
                        + (advice == null ? "" : "Hint: " + advice + ". ") + "Exclude the sensitive nodes with "
                        + "--exclude, or skip the check with --no-validate", null);
            }
            LatencyComparison latency = latencyRuns > 0 ? reference.latency(candidate, inputs.get(0), latencyRuns)
                    : null;
            return new Measured(quality, latency);
        } catch (RuntimeFailureException e) {
            throw ValidationFailedException.runtimeRefused(source + ": ONNX Runtime cannot run the quantized model: ",
                    e.getMessage());
        }
    }

    private static List<Map<String, Tensor>> randomInputs(Path source, Map<String, ValueType> inputs,
                                                          Map<String, Shape> shapes) {
        try {
            return List.of(new RandomInputs(SEED).generate(inputs, shapes));
        } catch (IllegalArgumentException e) {
            throw new ValidationFailedException("cannot validate " + source + ": " + e.getMessage()
                    + " (or skip validation with --no-validate)", null);
        }
    }

    private static WriteResult save(IrModelFile file, Model model, Path out) throws IOException {
        return new ModelSaver().save(model, out, WriteOptions.defaults().withProtectedPaths(file.inputFiles()));
    }

    private void convertOpset(Model model, QuantizationPlan plan) {
        int opset = model.opsetVersion("");
        if (opset >= plan.minOpset()) {
            return;
        }
        try {
            new OpsetConverter(schemas).convert(model, plan.minOpset());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(plan.description() + " needs opset " + plan.minOpset()
                    + ", and this model's opset " + opset + " cannot be converted: " + e.getMessage());
        }
    }

    private static Tolerance tolerance(QuantizationPlan plan) {
        return switch (plan.precision()) {
            case "fp16" -> Tolerance.FP16;
            case "fp32" -> Tolerance.FP32;
            default -> Tolerance.INT8;
        };
    }

    /** One line for the report: "static int8 qdq per-channel, minmax calibration on folder calib/ ..., U8S8". */
    private static String describe(StaticQuantizeOptions o, StaticQuantizer.Applied applied) {
        String calibration = o.method() + (o.method().name().equals("PERCENTILE") ? " " + o.percentile() : "");
        return "static int8 " + (o.format() == StaticQuantizeOptions.QuantFormat.QDQ ? "qdq" : "qoperator")
                + (o.perChannel() ? " per-channel" : " per-tensor")
                + ", " + calibration + " calibration on " + applied.calibration().source()
                + ", " + (o.activationType().name().equals("UINT8") ? "U8S8" : "S8S8")
                + (o.symmetricActivations() ? " symmetric activations" : "")
                + (o.reduceRange() ? " reduce-range" : "");
    }
}
