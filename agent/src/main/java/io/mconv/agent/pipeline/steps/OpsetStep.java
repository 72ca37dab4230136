package io.mconv.agent.pipeline.steps;

import io.mconv.agent.convert.ConversionResult;
import io.mconv.agent.convert.ConvertOptions;
import io.mconv.agent.convert.OnnxConverter;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import io.mconv.passes.Target;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX source moved to another opset ({@code --opset N}) by the opset converter, validated in ONNX Runtime: the
 * ONNX side of the export step, and the float model later steps are measured against.
 */
public final class OpsetStep implements Tool {

    private final ConvertOptions options;

    public OpsetStep(ConvertOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "convert-opset";
    }

    @Override
    public String description() {
        return "convert the ONNX model to opset " + options.opset()
                + (options.target() == Target.ORT ? " for ONNX Runtime" : "")
                + (options.validate() ? ", validated in ONNX Runtime" : "");
    }

    @Override
    public StepKind category() {
        return StepKind.EXPORT;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("opset", String.valueOf(options.opset()));
        o.put("target", options.target().toString()); // ort keeps LayerNormalization below 17
        o.put("input_shapes", new java.util.TreeMap<>(options.inputShapes()).toString());
        o.put("validate", Boolean.toString(options.validate()));
        o.put("tolerance", options.tolerance() == null ? "per-precision" : options.tolerance().toString());
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) throws IOException {
        ConversionResult r = new OnnxConverter(context.limits()).convert(input.model(), context.artifactFile(), options);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("opset", options.opset());
        figures.put("target", options.target().toString());
        figures.put("output_bytes", r.outputBytes());
        if (r.validation() != null) {
            figures.put("validation", Figures.validation(r.validation()));
        }
        return new StepOutcome(context.artifactFile(), figures, List.of());
    }
}
