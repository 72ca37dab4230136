package io.mconv.agent.pipeline;

import io.mconv.limits.Limits;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.profile.ProcessMemory;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.ReadableFile;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mconv convert} as a planned chain: plan, run the steps (through the cache), check the user's constraints
 * on the measured result, and only when they are met write the model with its provenance. The report is built
 * either way, so a CI job sees the figures of a miss too.
 */
public final class ConversionAgent {

    private final Planner planner;
    private final Limits limits;

    public ConversionAgent(Planner planner) {
        this(planner, Limits.defaults());
    }

    /** @param limits the resource limits ({@code --limit}) every step's readers apply */
    public ConversionAgent(Planner planner, Limits limits) {
        this.planner = planner;
        this.limits = limits;
    }

    /**
     * The plan for {@code request} (what {@code --dry-run} prints); its source must be a readable file, since a plan
     * for a file that is not there is no plan.
     *
     * @throws InvalidModelException naming the source when it is missing, a folder or not a regular file
     */
    public Plan plan(ConvertRequest request) {
        ReadableFile.require(request.source(), "a model file");
        return planner.plan(request);
    }

    public ConversionOutcome convert(ConvertRequest request, StepStore store, PlanListener listener)
            throws IOException {
        long start = System.nanoTime();
        Plan plan = plan(request);
        PlanRun run = new PlanRunner(store, request.version(), listener, limits).run(plan);
        Map<String, Object> profile = figuresOf(run, StepKind.PROFILE);
        Map<String, Object> validation = figuresOf(run, StepKind.VALIDATE);
        double latency = profile == null ? Double.NaN : median(profile.get("result_latency_ms"));
        double baseline = profile == null ? Double.NaN : median(profile.get("baseline_latency_ms"));
        double speedup = profile == null ? Double.NaN : ((Number) profile.get("speedup")).doubleValue();
        double drop = validation == null ? Double.NaN : ((Number) validation.get("accuracy_drop")).doubleValue();
        try (IrModelFile result = new ModelLoader(limits).load(run.finalModel())) {
            long bytes = 0;
            for (Path p : result.inputFiles()) {
                bytes += Files.size(p);
            }
            List<ConstraintCheck> checks = request.constraints().check(bytes, latency, drop);
            ConversionReport report = new ConversionReport(request.source(), run.sourceSha256(), null,
                    Files.size(request.source()), bytes, 0, -1, speedup, latency, baseline, drop, run.steps(),
                    checks);
            if (report.constraintsMet()) {
                result.model().metadata().put(Provenance.KEY, Provenance.of(plan, run, request.version()));
                WriteOptions write = WriteOptions.defaults().withPolicy(request.externalData())
                        .withThresholdBytes(request.thresholdBytes()).withProtectedPaths(Set.of(request.source()));
                WriteResult written = new ModelSaver().save(result.model(), request.output(), write);
                report = report.withOutput(written.modelFile(), written.modelBytes() + written.dataBytes());
            }
            return new ConversionOutcome(plan, run, finish(report, start));
        }
    }

    private static ConversionReport finish(ConversionReport r, long start) {
        long peak = new ProcessMemory().peakBytes().orElse(-1);
        return new ConversionReport(r.source(), r.sourceSha256(), r.output(), r.sourceBytes(), r.targetBytes(),
                (System.nanoTime() - start) / 1e6, peak, r.speedup(), r.latencyMs(), r.baselineLatencyMs(),
                r.accuracyDrop(), r.steps(), r.constraints());
    }

    private static Map<String, Object> figuresOf(PlanRun run, StepKind kind) {
        return run.steps().stream().filter(s -> s.kind() == kind).map(StepResult::figures).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static double median(Object latency) {
        return ((Number) ((Map<String, Object>) latency).get("p50")).doubleValue();
    }
}
