package io.mconv.agent.convert;

import io.mconv.limits.Limits;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.eval.EvaluatorModelRunner;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.ModelValidator;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.agent.InvalidOptionException;
import io.mconv.ir.Model;
import io.mconv.passes.Target;
import io.mconv.passes.opset.OpsetConversionException;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchemaRegistry;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * ONNX to ONNX: reads the model into the IR, converts it to another opset when asked, and writes it back (inline
 * or with external data), after proving in ONNX Runtime that the result computes what the source computes. Later steps of the conversion chain (optimizer,
 * quantizer) plug in between reading and validating; the proof stays last, so nothing unproven is written.
 */
public final class OnnxConverter {

    private final ModelLoader loader;

    public OnnxConverter() {
        this(Limits.defaults());
    }

    /** Reads models under {@code limits}. */
    public OnnxConverter(Limits limits) {
        this.loader = new ModelLoader(limits);
    }

    public ConversionResult convert(Path source, Path out, ConvertOptions options) throws IOException {
        long start = System.nanoTime();
        try (IrModelFile file = loader.load(source)) {
            OpsetConverter.Result opset = options.opset() == null ? null : convertOpset(source, file.model(),
                    options.opset(), options.target());
            ValidationReport report = options.validate() ? validate(source, file.model(), options, opset != null)
                    : null;
            WriteOptions write = WriteOptions.defaults()
                    .withPolicy(options.externalData())
                    .withThresholdBytes(options.thresholdBytes())
                    .withProtectedPaths(file.inputFiles());
            WriteResult written = new ModelSaver().save(file.model(), out, write);
            return new ConversionResult(source, Files.size(source) + externalBytes(file), written, report,
                    Duration.ofNanos(System.nanoTime() - start), opset);
        }
    }

    /**
     * A target outside the opsets mconv knows is a bad option; a model with operators that have no equivalent at
     * the target is an input that cannot be converted, and every such node is named. {@code runtime} ORT keeps
     * what ONNX Runtime runs below its standard opset (LayerNormalization), so the result is for ORT only.
     */
    private static OpsetConverter.Result convertOpset(Path source, Model model, int target, Target runtime) {
        try {
            return new OpsetConverter(OpSchemaRegistry.standard(), runtime).convert(model, target);
        } catch (OpsetConversionException e) {
            throw new InvalidModelException(source, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--opset " + target + ": " + e.getMessage());
        }
    }

    /**
     * ORT for the source when it has kernels for its operator versions; else (no kernel: an old opset, the case
     * {@code mconv check} suggests converting) the reference evaluator runs the unconverted source.
     */
    private ModelRunner sourceRunner(Path source) {
        try {
            return OrtModelRunner.open(source, OrtSessionConfig.forValidation());
        } catch (RuntimeFailureException e) {
            if (!"ORT_NOT_IMPLEMENTED".equals(e.runtimeCode())) {
                throw e;
            }
            IrModelFile original = loader.load(source);
            return new EvaluatorModelRunner(original.model(), original);
        }
    }

    private static long externalBytes(IrModelFile file) throws IOException {
        long total = 0;
        for (Path p : file.inputFiles()) {
            if (!p.equals(file.source())) {
                total += Files.size(p);
            }
        }
        return total;
    }

    private ValidationReport validate(Path source, Model converted, ConvertOptions options,
                                      boolean opsetChanged) {
        ModelValidator validator = new ModelValidator(options.tolerance(), options.inputShapes(), options.seed());
        ValidationReport report = opsetChanged
                ? validator.validate(() -> sourceRunner(source), converted, source.toString())
                : validator.validate(source, converted);
        if (!report.passed()) {
            throw new ValidationFailedException(source + ": the converted model computes something else ("
                    + report.firstFailure() + "); nothing was written", report);
        }
        return report;
    }
}
