package io.mconv.agent.export;

import io.mconv.limits.Limits;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.torch.archive.StateDictArchive;
import io.mconv.torch.archive.TorchTensor;
import io.mconv.torch.export.ExportOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A weights-only state_dict plus an {@link ArchSpec} to ONNX: read the tensors (mapped, not copied), place them in
 * the arch's layers, build the graph, check ONNX Runtime against mconv's evaluator, write atomically. As for
 * TorchScript, the check comes before the write, so a model that fails it is never published.
 */
public final class StateDictConverter {

    /** Validation runs a batch of two rows when the batch is symbolic, so a broadcast bug cannot hide in one row. */
    private static final long VALIDATION_BATCH = 2;

    private final Limits limits;

    public StateDictConverter() {
        this(Limits.defaults());
    }

    /** Opens the torch.save zip under {@code limits}. */
    public StateDictConverter(Limits limits) {
        this.limits = limits;
    }

    public TorchExportResult convert(Path source, Path out, StateDictExportOptions options) throws IOException {
        long start = System.nanoTime();
        if (options.opset() < ExportOptions.MIN_OPSET || options.opset() > ExportOptions.MAX_OPSET) {
            throw new InvalidOptionException("--opset " + options.opset() + " is not supported for export (accepted: "
                    + ExportOptions.MIN_OPSET + " to " + ExportOptions.MAX_OPSET + ")");
        }
        Map<String, TorchTensor> tensors = StateDictArchive.open(source, limits);
        List<LinearLayers.Layer> layers = LinearLayers.match(source, tensors, options.arch());
        Model model = new MlpGraphBuilder(options.arch(), options.opset()).build(layers, options.inputShape());
        Duration exportTime = Duration.ofNanos(System.nanoTime() - start);
        ValidationReport report = null;
        if (options.validate()) {
            Shape feedShape = options.inputShape() != null ? options.inputShape()
                    : Shape.of(VALIDATION_BATCH, options.arch().inFeatures(0));
            report = EvaluatorValidation.validate(model, Map.of(MlpGraphBuilder.INPUT, feedShape), options.seed(),
                    options.tolerance());
            if (!report.passed()) {
                throw new ValidationFailedException(source + ": ONNX Runtime and mconv's reference evaluator disagree "
                        + "on the model built from --arch " + options.arch() + " (" + report.firstFailure()
                        + "); nothing was written", report);
            }
        }
        WriteOptions write = WriteOptions.defaults().withPolicy(options.externalData())
                .withThresholdBytes(options.thresholdBytes()).withProtectedPaths(Set.of(source));
        WriteResult written = new ModelSaver().save(model, out, write);
        return new TorchExportResult(source, Files.size(source), written, options.opset(),
                model.graph().nodeCount(), TorchConverter.histogram(model.graph()), List.of(), report, exportTime,
                Duration.ofNanos(System.nanoTime() - start), TorchExportResult.STATE_DICT);
    }
}
