package io.mconv.agent.pipeline.steps;

import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import io.mconv.agent.profile.BatchProfile;
import io.mconv.agent.profile.LatencyStats;
import io.mconv.agent.profile.ModelProfile;
import io.mconv.agent.profile.ProfileListener;
import io.mconv.agent.profile.ProfileOptions;
import io.mconv.agent.profile.Profiler;
import io.mconv.agent.profile.RunBudget;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.ir.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime CPU latency of the result and of the float ONNX model the chain started from, with
 * {@code mconv profile}'s own timing loop ({@link Profiler}: warm-up of at least half a second, per-op profiling
 * off), one model after the other, so the figures agree with what {@code mconv profile} prints. Speedup is the
 * float model's median over the result's; a result whose bytes are the float model's has speedup 1.
 */
public final class ProfileStep implements Tool {

    private final int warmup;
    private final int iterations;
    private final Map<String, Shape> inputShapes;

    public ProfileStep(int warmup, int iterations, Map<String, Shape> inputShapes) {
        this.warmup = warmup;
        this.iterations = iterations;
        this.inputShapes = Map.copyOf(inputShapes);
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public String description() {
        return "time the result and the float ONNX model on ONNX Runtime cpu (" + warmup + " warm-up, "
                + iterations + " timed runs each)";
    }

    @Override
    public StepKind category() {
        return StepKind.PROFILE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("provider", "cpu");
        o.put("warmup", Integer.toString(warmup));
        o.put("iterations", Integer.toString(iterations));
        o.put("input_shapes", new java.util.TreeMap<>(inputShapes).toString());
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) throws IOException {
        ProfileOptions options = new ProfileOptions(List.of(ExecutionProvider.CPU), false, 0, List.of(), warmup,
                RunBudget.iterations(iterations), inputShapes, null, 1, 0, 0);
        // The same file twice (the chain kept the float model as it was) is one model: its speedup is 1, not noise.
        Path baselineFile = input.baseline() == null ? input.model() : input.baseline();
        boolean sameModel = Files.mismatch(baselineFile, input.model()) == -1; // stops at the first difference
        // One model after the other, each in its own session as `mconv profile` runs it: sessions timed side by
        // side slow each other down (ORT's intra-op threads keep spinning after their run), which made the figures
        // 50-70% higher than a separate `mconv profile` of the same file.
        Profiler profiler = new Profiler(options, ProfileListener.NONE, context.limits());
        BatchProfile resultRun = profiler.profile(input.model()).primary();
        BatchProfile baselineRun = sameModel ? resultRun : profiler.profile(baselineFile).primary();
        LatencyStats result = resultRun.latency();
        LatencyStats baseline = baselineRun.latency();
        // A loop the machine's speed changed under: its figures (and a latency constraint judged on them) may not
        // repeat, which a CI job gating on this report should know.
        List<Diagnostic> diagnostics = new ArrayList<>();
        resultRun.driftWarning("the result's latency").ifPresent(w ->
                diagnostics.add(Diagnostic.warning("latency-drift", w)));
        if (!sameModel) {
            baselineRun.driftWarning("the float model's latency").ifPresent(w ->
                    diagnostics.add(Diagnostic.warning("latency-drift", w)));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("provider", "cpu");
        figures.put("result_latency_ms", latency(result));
        figures.put("baseline_latency_ms", latency(baseline));
        figures.put("speedup", baseline.p50() / result.p50());
        return new StepOutcome(null, figures, diagnostics);
    }

    private static Map<String, Object> latency(LatencyStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("p50", s.p50());
        m.put("p90", s.p90());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("count", s.count());
        return m;
    }
}
