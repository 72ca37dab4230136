package io.mconv.agent.pipeline.steps;

import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import io.mconv.agent.quantize.OutputQuality;
import io.mconv.agent.quantize.StaticQuantizeOptions;
import io.mconv.agent.quantize.StaticQuantizeResult;
import io.mconv.agent.quantize.StaticQuantizer;
import io.mconv.agent.validation.ValidationFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calibrated int8 ({@code --quantize int8-static}) with {@link StaticQuantizer}: activation ranges from the
 * {@code --calibration} folder (or seeded random samples), QDQ form. The quantizer measures agreement but sets no
 * bar of its own, so this step refuses a result below {@link #MIN_COSINE}, the bar dynamic int8 uses.
 */
public final class StaticQuantizeStep implements Tool {

    public static final double MIN_COSINE = 0.99;

    private final StaticQuantizeOptions options;

    public StaticQuantizeStep(StaticQuantizeOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "quantize";
    }

    @Override
    public String description() {
        return "quantize int8-static: " + options.method() + " calibration on "
                + (options.calibrationDir() != null ? options.calibrationDir().toString()
                : options.randomSamples() + " seeded random samples") + ", " + options.format() + " "
                + options.activationType() + "/" + options.weightType();
    }

    @Override
    public StepKind category() {
        return StepKind.QUANTIZE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("mode", "int8-static");
        o.put("method", options.method().toString());
        o.put("calibration", String.valueOf(options.calibrationDir()));
        o.put("format", options.format().toString());
        o.put("per_channel", Boolean.toString(options.perChannel()));
        o.put("target", options.target().toString());
        o.put("input_shapes", new java.util.TreeMap<>(options.inputShapes()).toString());
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) throws IOException {
        StaticQuantizeResult r = new StaticQuantizer(context.limits()).quantize(input.model(), context.artifactFile(), options);
        if (!(r.worstCosine() >= MIN_COSINE)) {
            throw new ValidationFailedException(input.model() + ": the statically quantized model drifts too far "
                    + "from the float model (worst cosine " + r.worstCosine() + " < " + MIN_COSINE + ")", null);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("plan", "static int8 " + options.format());
        figures.put("precision", "int8");
        figures.put("calibration", r.calibrationSource());
        figures.put("quantized_nodes", r.quantizedNodes());
        figures.put("input_bytes", r.floatBytes());
        figures.put("output_bytes", r.quantizedBytes());
        figures.put("size_ratio", r.sizeRatio());
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (OutputQuality a : r.outputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("cosine", Figures.number(a.cosine()));
            m.put("max_abs_error", Figures.number(a.maxAbsError()));
            outputs.add(m);
        }
        Map<String, Object> quality = new LinkedHashMap<>();
        quality.put("min_cosine", MIN_COSINE);
        quality.put("outputs", outputs);
        figures.put("quality", quality);
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (String w : r.warnings()) {
            diagnostics.add(Diagnostic.warning("quantize-note", w));
        }
        return new StepOutcome(context.artifactFile(), figures, diagnostics);
    }
}
