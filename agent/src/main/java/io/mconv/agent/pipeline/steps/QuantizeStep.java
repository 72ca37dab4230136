package io.mconv.agent.pipeline.steps;

import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import io.mconv.agent.quantize.OutputQuality;
import io.mconv.agent.quantize.QuantizationPlan;
import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.agent.quantize.QuantizeResult;
import io.mconv.agent.quantize.Quantizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calibration-free quantization (dynamic int8, weight-only int4, float16) with {@link Quantizer}: the result is
 * measured against the float model it came from and refused when it drifts past the plan's cosine bar.
 */
public final class QuantizeStep implements Tool {

    private final QuantizeOptions options;
    private final String choice;

    /** @param choice the user's spelling ({@code int8}), for the plan */
    public QuantizeStep(QuantizeOptions options, String choice) {
        this.options = options;
        this.choice = choice;
    }

    /** The cosine a result of these options must keep against its float model (the quantizer's own bar). */
    public double minCosine() {
        return QuantizationPlan.from(options).minCosine();
    }

    @Override
    public String name() {
        return "quantize";
    }

    @Override
    public String description() {
        return "quantize " + choice + ": " + QuantizationPlan.from(options).description()
                + (options.validate() ? ", measured against the float model" : "");
    }

    @Override
    public StepKind category() {
        return StepKind.QUANTIZE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("mode", choice);
        o.put("plan", QuantizationPlan.from(options).description());
        o.put("target", options.target().toString());
        o.put("exclude", String.join(",", options.exclude()));
        o.put("input_shapes", new java.util.TreeMap<>(options.inputShapes()).toString());
        o.put("validate", Boolean.toString(options.validate()));
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) throws IOException {
        QuantizeResult r = new Quantizer(context.limits()).quantize(input.model(), context.artifactFile(), options);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("plan", r.plan());
        figures.put("precision", r.precision());
        figures.put("rewrites", r.passes().totalRewrites());
        figures.put("input_bytes", r.sourceBytes());
        figures.put("output_bytes", r.outputBytes());
        figures.put("size_ratio", r.sizeRatio());
        if (r.quality() != null) {
            List<Map<String, Object>> outputs = new ArrayList<>();
            for (OutputQuality q : r.quality().outputs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", q.name());
                m.put("cosine", Figures.number(q.cosine()));
                m.put("max_abs_error", Figures.number(q.maxAbsError()));
                outputs.add(m);
            }
            Map<String, Object> quality = new LinkedHashMap<>();
            quality.put("min_cosine", r.quality().minCosine());
            quality.put("outputs", outputs);
            figures.put("quality", quality);
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (String note : r.notes()) {
            diagnostics.add(Diagnostic.info("quantize-note", note));
        }
        if (r.passes().totalRewrites() == 0) {
            diagnostics.add(Diagnostic.warning("nothing-quantized", "no node of this model was quantized by "
                    + r.plan() + "; the result is the float model"));
        }
        return new StepOutcome(context.artifactFile(), figures, diagnostics);
    }
}
