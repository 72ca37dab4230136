package io.mconv.agent.export;

import io.mconv.limits.Limits;

import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.Target;
import io.mconv.schema.OpSchemaRegistry;
import io.mconv.torch.archive.TorchScriptArchive;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.export.ExportException;
import io.mconv.torch.export.ExportResult;
import io.mconv.torch.export.UnsupportedOpException;
import io.mconv.torch.export.UnsupportedOpsException;
import io.mconv.torch.export.TorchScriptExporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * TorchScript to ONNX: open the archive (weights stay mapped), export to the IR, tidy the graph with the
 * optimizer's basic passes, prove it against libtorch, write it. The proof comes before the write, so nothing
 * unproven is published.
 */
public final class TorchConverter {

    private final TorchScriptExporter exporter;
    private final ExportValidation validation;
    private final Limits limits;

    public TorchConverter() {
        this(Limits.defaults());
    }

    /** Opens archives under {@code limits}; the exporter's interpreter takes them from the archive. */
    public TorchConverter(Limits limits) {
        this(new TorchScriptExporter(), ExportValidation.libtorch(), limits);
    }

    public TorchConverter(TorchScriptExporter exporter, ExportValidation validation) {
        this(exporter, validation, Limits.defaults());
    }

    public TorchConverter(TorchScriptExporter exporter, ExportValidation validation, Limits limits) {
        this.exporter = exporter;
        this.validation = validation;
        this.limits = limits;
    }

    public TorchExportResult convert(Path source, Path out, TorchExportOptions options) throws IOException {
        long start = System.nanoTime();
        try (TorchScriptArchive archive = TorchScriptArchive.open(source, limits)) {
            ExportResult exported;
            try {
                exported = exporter.export(archive, options.export());
            } catch (UnsupportedOpsException e) {
                throw e.inFile(source);
            } catch (ExportException | UnsupportedOpException e) {
                throw new InvalidModelException(source, "cannot export: " + e.getMessage(), e);
            }
            Model model = exported.model();
            if (options.cleanup()) {
                cleanup(model);
            }
            Duration exportTime = Duration.ofNanos(System.nanoTime() - start);
            ValidationReport report = options.validate() ? validation.validate(source, model, out, options) : null;
            if (report != null && !report.passed()) {
                throw new ValidationFailedException(source + ": the exported model computes something else than "
                        + "libtorch (" + report.firstFailure() + "); nothing was written", report);
            }
            WriteOptions write = WriteOptions.defaults().withPolicy(options.externalData())
                    .withThresholdBytes(options.thresholdBytes()).withProtectedPaths(java.util.Set.of(source));
            WriteResult written = new ModelSaver().save(model, out, write);
            return new TorchExportResult(source, Files.size(source), written, options.export().opset(),
                    model.graph().nodeCount(), histogram(model.graph()), exported.warnings(), report, exportTime,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Basic-level passes: fold the constant work the exporter left, fuse Conv+BatchNorm, drop dead nodes and unused
     * initializers. Deduplicating initializers by content is left out: the exporter already maps each archive
     * tensor to one initializer, and hashing every weight costs seconds on big models for nothing.
     */
    static void cleanup(Model model) {
        PassRegistry registry = PassRegistry.standard();
        PassContext context = new PassContext(OptimizationLevel.BASIC, Target.PORTABLE, OpSchemaRegistry.standard(),
                Map.of(), false);
        new PassManager(registry.select(OptimizationLevel.BASIC, Target.PORTABLE, List.of(),
                List.of("deduplicate-initializers")))
                .run(model, context);
    }

    static Map<String, Integer> histogram(Graph g) {
        Map<String, Integer> h = new TreeMap<>();
        for (Node n : g) {
            h.merge(n.opType(), 1, Integer::sum);
        }
        return h;
    }
}
