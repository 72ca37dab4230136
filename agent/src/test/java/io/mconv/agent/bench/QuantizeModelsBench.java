package io.mconv.agent.bench;

import io.mconv.agent.quantize.advisor.Advice;
import io.mconv.agent.quantize.advisor.AdvisorOptions;
import io.mconv.agent.quantize.advisor.MeasuredPlan;
import io.mconv.agent.quantize.advisor.PlanKind;
import io.mconv.agent.quantize.advisor.PlanVerdict;
import io.mconv.agent.quantize.advisor.QuantizationAdvisor;
import io.mconv.ir.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a unit test; run by bench/quantize-models.sh): runs the quantization advisor on each model and
 * prints, from that one run, every measured plan (size ratio, ORT CPU latency ratio against fp32 from interleaved
 * medians, cosine, max abs error, top-1, accuracy drop), the advisor's pick with a check line (the pick meets the
 * limit and no other measured plan is both no larger and faster while meeting it), and issue 5's goals. Calibration
 * and evaluation inputs are both seeded N(0,1) draws (different seeds), so calibration comes from the evaluation
 * inputs' distribution. Arguments: {@code MODEL.onnx[@INPUT:DIMS]}; properties {@code rounds} (20), {@code threads}
 * (1), {@code samples} (4), {@code maxDrop} (0.01).
 */
public final class QuantizeModelsBench {

    private QuantizeModelsBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 20);
        int threads = Integer.getInteger("threads", 1);
        int samples = Integer.getInteger("samples", 4);
        double maxDrop = Double.parseDouble(System.getProperty("maxDrop", "0.01"));
        boolean allMet = true;
        for (String arg : args) {
            String[] parts = arg.split("@", 2);
            Path model = Path.of(parts[0]);
            Map<String, Shape> shapes = parts.length == 2 ? shape(parts[1]) : Map.of();
            AdvisorOptions options = AdvisorOptions.defaults().withMaxAccuracyDrop(maxDrop).withInputShapes(shapes)
                    .withMeasurement(samples, rounds, threads);
            long start = System.nanoTime();
            Advice advice = new QuantizationAdvisor().advise(model, options);
            String name = model.getFileName().toString().replace(".onnx", "");
            System.out.printf(Locale.ROOT, "%n== %s (%s; %s; %d thread(s), median of %d interleaved rounds; "
                            + "advised in %.1f s)%n", name, advice.cpu().describe(), advice.evaluationSource(),
                    threads, rounds, (System.nanoTime() - start) / 1e9);
            System.out.printf(Locale.ROOT, "  quantizable ops hold %.1f%% of MACs and %.1f%% of weight bytes%n",
                    100 * advice.profile().macShare(), 100 * advice.profile().weightShare());
            System.out.printf(Locale.ROOT, "  %-26s %7s %9s %10s %10s %6s %9s  %s%n", "plan", "size", "latency",
                    "cosine", "max abs", "top-1", "drop", "verdict");
            for (PlanVerdict v : advice.plans()) {
                MeasuredPlan p = v.plan();
                if (!p.measured()) {
                    System.out.printf(Locale.ROOT, "  %-26s failed: %s%n", p.id(), p.failure());
                    continue;
                }
                String latency = p.candidate().kind() == PlanKind.FP16
                        ? String.format(Locale.ROOT, "(%.2fx)", p.latencyRatio())
                        : String.format(Locale.ROOT, "%.2fx", p.latencyRatio());
                System.out.printf(Locale.ROOT, "  %-26s %6.3fx %9s %10.6f %10.4g %6s %9.2e  %s%s%n", p.id(),
                        p.sizeRatio(), latency, p.accuracy().cosine(), p.accuracy().maxAbsError(),
                        p.accuracy().hasTop1() ? String.format(Locale.ROOT, "%.2f", p.accuracy().top1Agreement())
                                : "-", p.accuracy().drop(), v.recommended() ? "PICK: " : "", v.reason());
            }
            System.out.println("  (fp16 latency in parentheses: float16 is not a CPU format, n/a on CPU)");
            allMet &= check(advice);
            allMet &= goals(name, advice);
        }
        System.out.println(allMet ? "\nall checks and goals met" : "\nSOME CHECKS OR GOALS MISSED");
    }

    /**
     * The pick meets the limit and no other measured plan is both no larger and faster while meeting it. A plan that
     * rewrote nothing is the fp32 model itself (its timing differs by noise only) and is not counted.
     */
    private static boolean check(Advice advice) {
        MeasuredPlan pick = advice.recommended().plan();
        boolean meets = advice.recommended().meetsConstraint();
        String dominatedBy = advice.plans().stream()
                .filter(v -> v.plan() != pick && v.meetsConstraint() && v.plan().rewrites() > 0
                        && v.plan().bytes() <= pick.bytes()
                        && v.plan().latencyMs() < pick.latencyMs())
                .map(v -> v.plan().id()).findFirst().orElse(null);
        boolean ok = meets && dominatedBy == null;
        System.out.printf(Locale.ROOT, "  check: pick %s drop %.2e <= %s: %s; no plan both no larger and faster "
                        + "while meeting it: %s -> %s%n", pick.id(), pick.accuracy().drop(), advice.maxAccuracyDrop(),
                meets ? "yes" : "NO", dominatedBy == null ? "yes" : "NO (" + dominatedBy + ")", ok ? "OK" : "FAIL");
        return ok;
    }

    private static boolean goals(String name, Advice advice) {
        boolean transformer = advice.profile().opMix().containsKey("Gather")
                && !advice.profile().opMix().containsKey("Conv");
        boolean ok = true;
        if (transformer) {
            MeasuredPlan best = bestDynamic(advice);
            boolean size = best.sizeRatio() <= 0.27;
            boolean cos = best.accuracy().cosine() >= 0.999;
            System.out.printf(Locale.ROOT, "  goal: dynamic int8 (%s) size %.3fx <= 0.27: %s; cosine %.6f >= "
                    + "0.999: %s%n", best.id(), best.sizeRatio(), size ? "met" : "MISSED", best.accuracy().cosine(),
                    cos ? "met" : "MISSED");
            ok = size && cos;
        } else {
            MeasuredPlan st = plan(advice, "static-qdq-int8-pc");
            boolean cos = st.measured() && st.accuracy().cosine() >= 0.99;
            System.out.printf(Locale.ROOT, "  goal: static int8 cosine %.5f >= 0.99: %s%n",
                    st.measured() ? st.accuracy().cosine() : Double.NaN, cos ? "met" : "MISSED");
            ok = cos;
            if (name.equals("resnet18")) {
                boolean faster = st.measured() && st.latencyRatio() < 1;
                System.out.printf(Locale.ROOT, "  goal: static QDQ int8 resnet18 faster than fp32 (%.2fx): %s%n",
                        st.latencyRatio(), faster ? "met" : "MISSED");
                ok &= faster;
            }
        }
        return ok;
    }

    /**
     * A dynamic int8 plan that meets both transformer goals (reduce-range on a CPU without VNNI) when there is one,
     * otherwise the one with the best cosine.
     */
    private static MeasuredPlan bestDynamic(Advice advice) {
        java.util.List<MeasuredPlan> dynamic = advice.plans().stream().map(PlanVerdict::plan)
                .filter(p -> p.measured() && p.candidate().kind() == PlanKind.DYNAMIC_INT8).toList();
        return dynamic.stream().filter(p -> p.sizeRatio() <= 0.27 && p.accuracy().cosine() >= 0.999).findFirst()
                .orElseGet(() -> dynamic.stream()
                        .max((a, b) -> Double.compare(a.accuracy().cosine(), b.accuracy().cosine())).orElseThrow());
    }

    private static MeasuredPlan plan(Advice advice, String id) {
        return advice.plans().stream().map(PlanVerdict::plan).filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow();
    }

    private static Map<String, Shape> shape(String spec) {
        String[] nd = spec.split(":", 2);
        long[] dims = Arrays.stream(nd[1].split("x")).mapToLong(Long::parseLong).toArray();
        return Map.of(nd[0], Shape.of(dims));
    }
}
