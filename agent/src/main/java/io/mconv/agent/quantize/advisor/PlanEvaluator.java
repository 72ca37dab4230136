package io.mconv.agent.quantize.advisor;

import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link PlanCandidate}s into {@link MeasuredPlan}s: produces each plan's model, measures its accuracy on the
 * evaluation set, then times the float model and every plan in the same interleaved rounds, all with the same ORT
 * session settings (CPU, all graph optimizations on so quantized patterns fuse into integer kernels as in
 * deployment, a fixed intra-op thread count, threads that sleep rather than spin between runs). A plan that cannot
 * be produced or run is reported as failed with its reason; the others are still measured.
 */
public final class PlanEvaluator {

    private final EvaluationSet evaluation;
    private final int threads;
    private final int latencyRounds;

    /**
     * @param threads       ORT intra-op threads for every session (1 measures the kernels rather than free cores; 0
     *                      lets ORT choose, as `mconv profile` does)
     * @param latencyRounds timed rounds; 0 skips timing (latencies are then NaN)
     */
    public PlanEvaluator(EvaluationSet evaluation, int threads, int latencyRounds) {
        if (threads < 0 || latencyRounds < 0) {
            throw new IllegalArgumentException("threads and latency rounds must be >= 0");
        }
        this.evaluation = evaluation;
        this.threads = threads;
        this.latencyRounds = latencyRounds;
    }

    /**
     * @param source   the float model; its latency is the baseline of every ratio
     * @param fp32     the float plan (its size is the baseline of every size ratio)
     * @param workDir  where the plans' models are written
     * @return one measured plan per candidate, in order
     */
    public List<MeasuredPlan> evaluate(Path source, Fp32Plan fp32, List<PlanCandidate> candidates, Path workDir) {
        // Spinning off: the sessions are timed in turns, and a session's intra-op threads spinning after its run
        // would take the cores from the next one's (measured: figures 50-70% high with two spinning sessions).
        OrtSessionConfig config = OrtSessionConfig.defaults().withIntraOpThreads(threads).withSpinning(false);
        List<ProducedModel> produced = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (PlanCandidate c : candidates) {
            try {
                produced.add(c.produce(source, workDir));
                failures.add(null);
            } catch (IOException | RuntimeException e) {
                produced.add(null);
                failures.add(oneLine(e));
            }
        }
        List<OrtModelRunner> runners = new ArrayList<>();
        try {
            OrtModelRunner baseline = OrtModelRunner.open(source, config);
            runners.add(baseline);
            List<OrtModelRunner> planRunners = new ArrayList<>();
            List<PlanAccuracy> accuracy = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                OrtModelRunner runner = null;
                PlanAccuracy acc = null;
                if (produced.get(i) != null) {
                    try {
                        runner = candidates.get(i) instanceof Fp32Plan ? baseline
                                : OrtModelRunner.open(produced.get(i).file(), config);
                        if (runner != baseline) {
                            runners.add(runner);
                        }
                        acc = candidates.get(i) instanceof Fp32Plan ? PlanAccuracy.EXACT
                                : AccuracyMeter.measure(runner, evaluation);
                    } catch (RuntimeException e) {
                        failures.set(i, "ONNX Runtime cannot run it: " + oneLine(e));
                        runner = null;
                    }
                }
                planRunners.add(runner);
                accuracy.add(acc);
            }
            double[] medians = time(runners);
            double baselineMs = medians[0];
            List<MeasuredPlan> out = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                PlanCandidate c = candidates.get(i);
                ProducedModel p = produced.get(i);
                if (failures.get(i) != null) {
                    out.add(MeasuredPlan.failed(c, failures.get(i)));
                    continue;
                }
                double ms = latencyRounds == 0 ? Double.NaN : medians[runners.indexOf(planRunners.get(i))];
                out.add(new MeasuredPlan(c, p.bytes(), (double) p.bytes() / fp32.sourceBytes(), ms, ms / baselineMs,
                        accuracy.get(i), p.rewrites(), p.opCounts(), p.notes(), null));
            }
            return out;
        } finally {
            runners.forEach(OrtModelRunner::close);
        }
    }

    private double[] time(List<OrtModelRunner> runners) {
        if (latencyRounds == 0) {
            double[] none = new double[runners.size()];
            java.util.Arrays.fill(none, Double.NaN);
            return none;
        }
        return LatencyRounds.medians(runners, evaluation.inputs().get(0), latencyRounds);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
