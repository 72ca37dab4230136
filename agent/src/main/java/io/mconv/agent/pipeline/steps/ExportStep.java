package io.mconv.agent.pipeline.steps;

import io.mconv.agent.export.TorchConverter;
import io.mconv.agent.export.TorchExportOptions;
import io.mconv.agent.export.TorchExportResult;
import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import io.mconv.torch.export.InputSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TorchScript to ONNX with mconv's exporter (basic clean-up included), proven against libtorch before it is kept:
 * the same {@link TorchConverter} as a plain {@code mconv convert model.pt}.
 */
public final class ExportStep implements Tool {

    private final TorchExportOptions options;

    public ExportStep(TorchExportOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String description() {
        return "export TorchScript to ONNX opset " + options.export().opset()
                + (options.validate() ? ", validated against libtorch" : "");
    }

    @Override
    public StepKind category() {
        return StepKind.EXPORT;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("opset", Integer.toString(options.export().opset()));
        List<String> inputs = new ArrayList<>();
        for (InputSpec in : options.export().inputs()) {
            inputs.add(in.name() + ":" + in.shape() + ":" + in.type());
        }
        o.put("inputs", String.join(",", inputs));
        o.put("dynamic_axes", new java.util.TreeMap<>(options.export().dynamicAxes()).toString());
        o.put("validate", Boolean.toString(options.validate()));
        o.put("tolerance", options.tolerance() == null ? "per-precision" : options.tolerance().toString());
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) throws IOException {
        TorchExportResult r = new TorchConverter(context.limits()).convert(input.model(), context.artifactFile(), options);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("opset", r.opset());
        figures.put("nodes", r.nodes());
        figures.put("output_bytes", r.outputBytes());
        if (r.validation() != null) {
            figures.put("validation", Figures.validation(r.validation()));
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (String w : r.warnings()) {
            diagnostics.add(Diagnostic.warning("export-warning", w));
        }
        if (r.validation() == null) {
            diagnostics.add(Diagnostic.warning("not-validated", "the export was not compared with libtorch "
                    + "(--no-validate)"));
        }
        return new StepOutcome(context.artifactFile(), figures, diagnostics);
    }
}
