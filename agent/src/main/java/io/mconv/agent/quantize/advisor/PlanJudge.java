package io.mconv.agent.quantize.advisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks the plan to recommend and gives every other plan its reason for losing.
 *
 * <p>Rule: among the measured plans whose accuracy drop is within the limit, the one with the smallest median
 * latency; a plan that rewrote nothing is not a candidate (it is the float model again). The float model always meets the limit (drop 0) and is always measured, so a plan slower than fp32 is
 * never picked: when nothing beats fp32, fp32 (no quantization) is the recommendation and its reason says why.
 * When another qualifying plan is within {@value #NOISE} of the pick's latency and smaller, the pick's reason names
 * it, since a shared machine's timings do not separate them.
 */
public final class PlanJudge {

    /** Latencies closer than this share are within the noise of a shared machine. */
    static final double NOISE = 0.05;

    private final double maxDrop;
    private final SlowdownExplainer slowdown;

    public PlanJudge(double maxAccuracyDrop, CpuFeatures cpu) {
        this.maxDrop = maxAccuracyDrop;
        this.slowdown = new SlowdownExplainer(cpu);
    }

    public boolean meets(MeasuredPlan p) {
        return p.measured() && p.accuracy().drop() <= maxDrop;
    }

    /** A plan that rewrote nothing is the float model again: its timing differs from fp32's by noise only. */
    public boolean eligible(MeasuredPlan p) {
        return meets(p) && (p.candidate() instanceof Fp32Plan || p.rewrites() > 0);
    }

    /** Verdicts in the order of {@code plans}; exactly one is recommended. */
    public List<PlanVerdict> judge(List<MeasuredPlan> plans) {
        MeasuredPlan fp32 = plans.stream().filter(p -> p.candidate() instanceof Fp32Plan).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the float plan must be among the measured plans"));
        MeasuredPlan pick = fp32;
        for (MeasuredPlan p : plans) {
            // Faster wins; at equal latency the smaller plan does, so the pick is never dominated.
            if (eligible(p) && (p.latencyMs() < pick.latencyMs()
                    || p.latencyMs() == pick.latencyMs() && p.bytes() < pick.bytes())) {
                pick = p;
            }
        }
        List<PlanVerdict> out = new ArrayList<>();
        for (MeasuredPlan p : plans) {
            boolean picked = p == pick;
            out.add(new PlanVerdict(p, meets(p), picked, picked ? pickReason(p, plans) : lossReason(p, pick)));
        }
        return out;
    }

    private String pickReason(MeasuredPlan pick, List<MeasuredPlan> plans) {
        String reason;
        if (pick.candidate() instanceof Fp32Plan) {
            boolean anyFaster = plans.stream().anyMatch(p -> p.measured() && p.rewrites() > 0
                    && p.latencyMs() < pick.latencyMs());
            reason = anyFaster
                    ? "no quantization: the plans faster than fp32 lose more accuracy than " + num(maxDrop)
                    : "no quantization: no quantized plan is faster than fp32 on this CPU";
        } else {
            reason = String.format(Locale.ROOT, "fastest plan within accuracy drop %s: %.2fx fp32 latency, %.3fx "
                    + "size, drop %s", num(maxDrop), pick.latencyRatio(), pick.sizeRatio(), num(pick.accuracy().drop()));
        }
        for (MeasuredPlan p : plans) {
            if (p != pick && eligible(p) && p.bytes() < pick.bytes()
                    && p.latencyMs() <= pick.latencyMs() * (1 + NOISE)) {
                reason += String.format(Locale.ROOT, " (%s is within %.0f%% of its latency and smaller, %.3fx: "
                        + "consider it)", p.id(), NOISE * 100, p.sizeRatio());
                break;
            }
        }
        return reason;
    }

    private String lossReason(MeasuredPlan p, MeasuredPlan pick) {
        if (!p.measured()) {
            return "failed: " + p.failure();
        }
        if (p.rewrites() == 0 && !(p.candidate() instanceof Fp32Plan)) {
            return "changes nothing in this model" + (p.notes().isEmpty() ? "" : " (" + p.notes().get(0) + ")");
        }
        if (!meets(p)) {
            return "accuracy drop " + num(p.accuracy().drop()) + " > " + num(maxDrop);
        }
        if (p.latencyRatio() > 1 && !(p.candidate() instanceof Fp32Plan)) {
            return String.format(Locale.ROOT, "slower than fp32 (%.2fx): %s", p.latencyRatio(), slowdown.explain(p));
        }
        String reason = String.format(Locale.ROOT, "slower than %s (%.2f ms vs %.2f ms)", pick.id(), p.latencyMs(),
                pick.latencyMs());
        if (p.bytes() > pick.bytes()) {
            reason += String.format(Locale.ROOT, " and larger (%.3fx vs %.3fx)", p.sizeRatio(), pick.sizeRatio());
        }
        return reason;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
