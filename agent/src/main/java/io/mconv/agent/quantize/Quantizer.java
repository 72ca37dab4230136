package io.mconv.agent.quantize;

import io.mconv.limits.Limits;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.optimize.OpsetRaise;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.Model;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import io.mconv.schema.OpSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code mconv quantize}: reads a model, raises its opset when the chosen form needs a newer one, runs the
 * quantization passes, measures the result against the float model in ONNX Runtime (cosine per output against the
 * plan's bar, max abs error, top-1 agreement; median latency ratio) and only then writes it, atomically. A result
 * below the bar is not written ({@link ValidationFailedException}, exit 1).
 */
public final class Quantizer {

    private static final long SEED = 0;

    private final OpSchemaRegistry schemas;
    private final ModelLoader loader;

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
    }

    /**
     * @throws InvalidOptionException    options this model cannot honour (static mode, an opset that cannot be raised)
     * @throws ValidationFailedException the result drifts past the bar or does not run; nothing is written
     */
    public QuantizeResult quantize(Path source, Path out, QuantizeOptions options) throws IOException {
        long start = System.nanoTime();
        QuantizationPlan plan = QuantizationPlan.from(options);
        try (IrModelFile file = loader.load(source)) {
            Model model = file.model();
            int opsetBefore = model.opsetVersion("");
            raiseOpset(model, plan);
            PassContext context = new PassContext(OptimizationLevel.AGGRESSIVE, options.target(), schemas,
                    options.inputShapes(), false);
            PassReport report = new PassManager(plan.passes()).run(model, context);
            // the manager runs the passes to a fixed point, so a refusal is noted once per run: keep one of each
            List<String> notes = new ArrayList<>(new LinkedHashSet<>(report.diagnostics()));
            QualityReport quality = null;
            LatencyComparison latency = null;
            if (options.validate()) {
                quality = new QualityMeter(options.inputShapes(), SEED).measure(source, model, plan.minCosine(),
                        tolerance(plan));
                if (!quality.passed()) {
                    throw new ValidationFailedException(source + ": the quantized model drifts too far from the "
                            + "float model (" + quality.firstFailure() + "); nothing was written. Exclude the "
                            + "sensitive nodes with --exclude, or skip the check with --no-validate", null);
                }
                if (options.latencyRuns() > 0) {
                    latency = new MedianLatency(options.inputShapes()).compare(source, model, options.latencyRuns());
                }
            }
            WriteOptions write = WriteOptions.defaults().withProtectedPaths(file.inputFiles());
            WriteResult written = new ModelSaver().save(model, out, write);
            return new QuantizeResult(source, plan.description(), plan.precision(), sourceBytes(file), written,
                    opsetBefore, model.opsetVersion(""), report, notes, quality, latency,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void raiseOpset(Model model, QuantizationPlan plan) {
        int opset = model.opsetVersion("");
        if (opset >= plan.minOpset()) {
            return;
        }
        try {
            new OpsetRaise(schemas).raise(model, plan.minOpset());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(plan.description() + " needs opset " + plan.minOpset()
                    + ", and this model's opset " + opset + " cannot be raised: " + e.getMessage());
        }
    }

    private static Tolerance tolerance(QuantizationPlan plan) {
        return switch (plan.precision()) {
            case "fp16" -> Tolerance.FP16;
            case "fp32" -> Tolerance.FP32;
            default -> Tolerance.INT8;
        };
    }

    private static long sourceBytes(IrModelFile file) throws IOException {
        long total = 0;
        for (Path p : file.inputFiles()) {
            total += Files.size(p);
        }
        return total;
    }
}
