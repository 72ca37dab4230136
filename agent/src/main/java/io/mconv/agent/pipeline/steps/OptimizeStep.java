package io.mconv.agent.pipeline.steps;

import io.mconv.agent.optimize.OptimizationResult;
import io.mconv.agent.optimize.OptimizeOptions;
import io.mconv.agent.optimize.Optimizer;
import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The optimizer's passes at one level, validated in ONNX Runtime (graph optimizations off): {@code mconv optimize}. */
public final class OptimizeStep implements Tool {

    private final OptimizeOptions options;

    public OptimizeStep(OptimizeOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "optimize";
    }

    @Override
    public String description() {
        return "run the " + options.level() + " optimization passes (target " + options.target() + ")"
                + (options.validate() ? ", validated in ONNX Runtime" : "");
    }

    @Override
    public StepKind category() {
        return StepKind.OPTIMIZE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("level", options.level().toString());
        o.put("target", options.target().toString());
        o.put("input_shapes", new java.util.TreeMap<>(options.inputShapes()).toString());
        o.put("validate", Boolean.toString(options.validate()));
        o.put("tolerance", options.tolerance() == null ? "per-precision" : options.tolerance().toString());
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) throws IOException {
        OptimizationResult r = new Optimizer(context.limits()).optimize(input.model(), context.artifactFile(), options);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rewrites", r.passes().totalRewrites());
        figures.put("nodes_before", r.passes().nodesBefore());
        figures.put("nodes_after", r.passes().nodesAfter());
        figures.put("output_bytes", r.written().modelBytes() + r.written().dataBytes());
        if (r.validation() != null) {
            figures.put("validation", Figures.validation(r.validation()));
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (String d : new LinkedHashSet<>(r.passes().diagnostics())) {
            diagnostics.add(Diagnostic.info("pass-note", d));
        }
        return new StepOutcome(context.artifactFile(), figures, diagnostics);
    }
}
