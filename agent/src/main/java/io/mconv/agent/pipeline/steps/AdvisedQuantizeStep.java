package io.mconv.agent.pipeline.steps;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.FileTrees;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import io.mconv.agent.quantize.advisor.Advice;
import io.mconv.agent.quantize.advisor.AdvisorOptions;
import io.mconv.agent.quantize.advisor.CpuFeatures;
import io.mconv.agent.quantize.advisor.Fp32Plan;
import io.mconv.agent.quantize.advisor.MeasuredPlan;
import io.mconv.agent.quantize.advisor.PlanVerdict;
import io.mconv.agent.quantize.advisor.ProducedModel;
import io.mconv.agent.quantize.advisor.QuantizationAdvisor;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.WriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --quantize auto}: the quantization advisor measures every candidate plan on this machine (dynamic and
 * static int8, weight-only int4, fp16, the float model itself, and int8 with the most sensitive layers kept in
 * float when plain int8 misses the limit), and this step writes the plan it recommends: the fastest one within the
 * accuracy limit, which is never slower than the float model because the float model is always a candidate, and
 * which must beat the float model by at least {@value #MIN_GAIN_PERCENT}% or the model stays float. The
 * figures keep every measured plan with its verdict, marking the ones on the size/latency Pareto front among those
 * that meet the limit, so the report shows what was weighed and why the others lost.
 */
public final class AdvisedQuantizeStep implements Tool {

    /** The accuracy limit when the user gives none: the advisor's and {@code mconv quantize --advise}'s default. */
    public static final double DEFAULT_MAX_DROP = 0.01;

    /** The least latency gain over fp32, in percent, for which auto writes a quantized model. */
    static final int MIN_GAIN_PERCENT = 5;

    private final double maxAccuracyDrop;
    private final Path calibration;
    private final Map<String, Shape> inputShapes;
    private final CpuFeatures cpu;

    public AdvisedQuantizeStep(Double maxAccuracyDrop, Path calibration, Map<String, Shape> inputShapes,
                               CpuFeatures cpu) {
        this.maxAccuracyDrop = maxAccuracyDrop == null ? DEFAULT_MAX_DROP : maxAccuracyDrop;
        this.calibration = calibration;
        this.inputShapes = Map.copyOf(inputShapes);
        this.cpu = cpu;
    }

    /** The cosine the chosen plan keeps against its float model: the accuracy limit read as 1 - cosine. */
    public double minCosine() {
        return 1 - maxAccuracyDrop;
    }

    @Override
    public String name() {
        return "quantize";
    }

    @Override
    public String description() {
        return "quantize auto: measure every plan on this CPU (" + cpu.int8Kernel() + ") and keep the fastest "
                + "within accuracy drop " + maxAccuracyDrop + " (" + (calibration != null ? "calibration " + calibration
                : "seeded random calibration") + ")";
    }

    @Override
    public StepKind category() {
        return StepKind.QUANTIZE;
    }

    @Override
    public Map<String, String> options() {
        // The pick depends on the CPU it was measured on, so the CPU is part of the cache key.
        Map<String, String> o = new LinkedHashMap<>();
        o.put("mode", "auto");
        o.put("max_accuracy_drop", Double.toString(maxAccuracyDrop));
        o.put("calibration", String.valueOf(calibration));
        o.put("input_shapes", new TreeMap<>(inputShapes).toString());
        o.put("cpu", cpu.int8Kernel());
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) throws IOException {
        // Plans are timed as the profile step and `mconv profile` time the result (ORT's own thread count), in 20
        // interleaved rounds of blocks (LatencyRounds), so the ranking is made under the conditions it is judged by.
        AdvisorOptions options = AdvisorOptions.defaults().withMaxAccuracyDrop(maxAccuracyDrop)
                .withCalibration(calibration).withInputShapes(inputShapes).withMeasurement(4, 20, 0);
        Advice advice = new QuantizationAdvisor(cpu, context.limits()).advise(input.model(), options);
        List<PlanVerdict> verdicts = keepFloatUnlessClearlyFaster(advice.plans());
        PlanVerdict pick = verdicts.stream().filter(PlanVerdict::recommended).findFirst().orElseThrow();
        Path scratch = Files.createTempDirectory(context.outputDir(), "auto");
        try {
            ProducedModel produced = pick.plan().candidate().produce(input.model(), scratch);
            // Load and save rather than copy: the artifact gets the cache's file name and any external data is
            // written beside it under the matching name.
            try (IrModelFile file = new ModelLoader(context.limits()).load(produced.file())) {
                new ModelSaver().save(file.model(), context.artifactFile(), WriteOptions.defaults()
                        .withProtectedPaths(file.inputFiles()));
            }
        } finally {
            FileTrees.delete(scratch);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("plan", pick.plan().id());
        figures.put("description", pick.plan().candidate().description());
        figures.put("reason", pick.reason());
        figures.put("max_accuracy_drop", maxAccuracyDrop);
        figures.put("cpu", cpu.int8Kernel());
        figures.put("evaluation", advice.evaluationSource());
        figures.put("candidates", candidates(verdicts));
        List<Diagnostic> diagnostics = new ArrayList<>();
        diagnostics.add(Diagnostic.info("auto-plan", pick.plan().id() + ": " + pick.reason()));
        for (String w : advice.warnings()) {
            diagnostics.add(Diagnostic.warning("auto-measurement", w));
        }
        if (pick.plan().rewrites() == 0) {
            diagnostics.add(Diagnostic.info("auto-kept-float", "no quantization plan beat the float model within "
                    + "the limit on this CPU; the model stays float"));
        }
        return new StepOutcome(context.artifactFile(), figures, diagnostics);
    }

    /**
     * The advisor's verdicts, except that a quantized pick less than {@value #MIN_GAIN_PERCENT}% faster than the float
     * model gives way to the float model: a gain that small is within what one run's timings can tell apart, and a
     * converted model that may not be faster is not worth its accuracy loss. (The advisor itself, for
     * {@code mconv quantize --advise}, keeps the plain fastest-plan rule and names close calls in its reason.)
     */
    static List<PlanVerdict> keepFloatUnlessClearlyFaster(List<PlanVerdict> verdicts) {
        PlanVerdict pick = verdicts.stream().filter(PlanVerdict::recommended).findFirst().orElseThrow();
        MeasuredPlan p = pick.plan();
        if (p.candidate() instanceof Fp32Plan || p.latencyRatio() <= 1 - MIN_GAIN_PERCENT / 100.0) {
            return verdicts;
        }
        List<PlanVerdict> out = new ArrayList<>();
        for (PlanVerdict v : verdicts) {
            if (v == pick) {
                out.add(new PlanVerdict(p, v.meetsConstraint(), false, String.format(java.util.Locale.ROOT,
                        "fastest plan, but only %.2fx fp32 latency: not clearly faster (needs <= %.2fx), so the "
                        + "model stays float", p.latencyRatio(), 1 - MIN_GAIN_PERCENT / 100.0)));
            } else if (v.plan().candidate() instanceof Fp32Plan) {
                out.add(new PlanVerdict(v.plan(), v.meetsConstraint(), true, "no quantization: the fastest plan ("
                        + p.id() + ", " + String.format(java.util.Locale.ROOT, "%.2fx", p.latencyRatio())
                        + ") is not clearly faster than fp32 on this CPU"));
            } else {
                out.add(v);
            }
        }
        return out;
    }

    /** Every measured plan with its figures and verdict; {@code pareto} marks the non-dominated ones that meet it. */
    static List<Map<String, Object>> candidates(List<PlanVerdict> verdicts) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PlanVerdict v : verdicts) {
            MeasuredPlan p = v.plan();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("plan", p.id());
            row.put("size_ratio", Figures.number(p.sizeRatio()));
            row.put("latency_ratio", Figures.number(p.latencyRatio()));
            row.put("accuracy_drop", p.accuracy() == null ? null : Figures.number(p.accuracy().drop()));
            row.put("meets", v.meetsConstraint());
            row.put("pareto", eligible(v) && !dominated(v, verdicts));
            row.put("chosen", v.recommended());
            row.put("reason", v.reason());
            rows.add(row);
        }
        rows.sort(Comparator.comparing(r -> !(Boolean) r.get("chosen")));
        return rows;
    }

    /**
     * A candidate for the front: within the limit, and a real plan (the float model, or one that rewrote something;
     * a plan that changed nothing is the float model again and differs from it by timing noise only).
     */
    static boolean eligible(PlanVerdict v) {
        return v.meetsConstraint() && (v.plan().candidate() instanceof Fp32Plan || v.plan().rewrites() > 0);
    }

    /** Another eligible plan is no larger and no slower, and better in one of the two. */
    static boolean dominated(PlanVerdict v, List<PlanVerdict> all) {
        MeasuredPlan p = v.plan();
        for (PlanVerdict o : all) {
            MeasuredPlan q = o.plan();
            if (o == v || !eligible(o)) {
                continue;
            }
            boolean noWorse = q.sizeRatio() <= p.sizeRatio() && q.latencyRatio() <= p.latencyRatio();
            boolean better = q.sizeRatio() < p.sizeRatio() || q.latencyRatio() < p.latencyRatio();
            if (noWorse && better) {
                return true;
            }
        }
        return false;
    }
}
