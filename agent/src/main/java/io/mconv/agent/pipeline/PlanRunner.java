package io.mconv.agent.pipeline;

import io.mconv.limits.Limits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a plan's steps in order. Each step's key chains its input's key with its own name, options and the mconv
 * version; a key the store already holds is a cache hit and the step does not run. A step that throws stops the
 * run: its staging folder is dropped and a {@link StepFailedException} names the step and its type. Because every
 * finished step is committed before the next starts, a run that was killed resumes after its last finished step.
 */
public final class PlanRunner {

    private final StepStore store;
    private final String version;
    private final PlanListener listener;
    private final Limits limits;

    public PlanRunner(StepStore store, String version, PlanListener listener) {
        this(store, version, listener, Limits.defaults());
    }

    /** @param limits the run's resource limits, handed to every step */
    public PlanRunner(StepStore store, String version, PlanListener listener, Limits limits) {
        this.store = store;
        this.version = version;
        this.listener = listener;
        this.limits = limits;
    }

    public PlanRun run(Plan plan) throws IOException {
        String sourceHash = ContentHash.ofFile(plan.source());
        Path model = plan.source();
        String key = sourceHash;
        Path baseline = plan.sourceKind().equals(SourceKinds.ONNX) ? plan.source() : null;
        List<StepResult> results = new ArrayList<>();
        int total = plan.steps().size();
        for (int i = 0; i < total; i++) {
            Tool tool = plan.steps().get(i);
            listener.started(tool, i + 1, total);
            String stepKey = ContentHash.ofStep(key, tool.name(), tool.options(), version);
            StepInput input = new StepInput(model, key, baseline, results);
            StepResult result = cached(tool, stepKey).orElse(null);
            if (result == null) {
                result = compute(tool, stepKey, input, plan.source(), sourceHash);
            }
            results.add(result);
            listener.finished(result, i + 1, total);
            if (tool.producesModel()) {
                model = result.artifact();
                key = stepKey;
                if (tool.category() == StepKind.EXPORT) {
                    baseline = model;
                }
            }
        }
        return new PlanRun(sourceHash, results, model, baseline);
    }

    private Optional<StepResult> cached(Tool tool, String key) throws IOException {
        Optional<Path> entry = store.find(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(StepRecord.read(entry.get(), key, tool.producesModel()));
    }

    private StepResult compute(Tool tool, String key, StepInput input, Path source, String sourceHash)
            throws IOException {
        Path staged = store.stage();
        long start = System.nanoTime();
        StepOutcome outcome;
        try {
            outcome = tool.run(input, new StepContext(source, sourceHash, staged, limits));
        } catch (RuntimeException e) {
            FileTrees.delete(staged);
            // The input of a later step is a file in the cache: the message says what it is instead.
            String madeBy = input.earlier().stream().filter(r -> input.model().equals(r.artifact()))
                    .map(StepResult::name).reduce((first, last) -> last).orElse(null);
            Path intermediate = madeBy == null ? null : input.model();
            throw new StepFailedException(tool.name(), tool.category(), e, intermediate,
                    source + " after the " + madeBy + " step");
        } catch (IOException e) {
            FileTrees.delete(staged);
            throw e;
        }
        double millis = (System.nanoTime() - start) / 1e6;
        StepRecord.write(staged, tool.name(), tool.category(), millis, outcome);
        Path entry = store.commit(key, staged);
        return new StepResult(tool.name(), tool.category(), key,
                tool.producesModel() ? entry.resolve(ArtifactCache.ARTIFACT) : null, millis, false,
                outcome.figures(), outcome.diagnostics());
    }
}
