package io.mconv.cli.render;

import io.mconv.agent.quantize.advisor.Advice;
import io.mconv.agent.quantize.advisor.CpuFeatures;
import io.mconv.agent.quantize.advisor.LayerSensitivity;
import io.mconv.agent.quantize.advisor.MeasuredPlan;
import io.mconv.agent.quantize.advisor.ModelProfile;
import io.mconv.agent.quantize.advisor.PlanVerdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code mconv quantize --advise} as a text table or as the {@code mconv.quantize.advice/1} JSON document. */
public final class AdviceRender {

    /** Sensitive layers listed in text without -v. */
    private static final int TEXT_LAYERS = 5;

    static final String DROP_DEFINITION = "max over float outputs of 1 - cosine; for [N, classes] outputs the larger "
            + "of 1 - cosine and 1 - top-1 agreement";

    private AdviceRender() {
    }

    public static Map<String, Object> json(Advice a) {
        Map<String, Object> doc = Json.document("quantize.advice");
        doc.put("model", a.model().toString());
        CpuFeatures c = a.cpu();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("arch", c.arch());
        cpu.put("known", c.known());
        cpu.put("avx2", c.avx2());
        cpu.put("avx512", c.avx512());
        cpu.put("vnni", c.vnni());
        cpu.put("arm_dotprod", c.armDotProd());
        cpu.put("description", c.describe());
        doc.put("cpu", cpu);
        doc.put("max_accuracy_drop", a.maxAccuracyDrop());
        doc.put("accuracy_drop_definition", DROP_DEFINITION);
        doc.put("threads", a.threads());
        doc.put("latency_rounds", a.latencyRounds());
        doc.put("evaluation_inputs", a.evaluationSource());
        doc.put("warnings", a.warnings());
        ModelProfile p = a.profile();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("op_mix", p.opMix());
        profile.put("total_macs", p.totalMacs());
        profile.put("quantizable_macs", p.quantizableMacs());
        profile.put("mac_share", p.macShare());
        profile.put("weight_bytes", p.weightBytes());
        profile.put("quantizable_weight_bytes", p.quantizableWeightBytes());
        profile.put("weight_share", p.weightShare());
        profile.put("quantizable_layers", p.layers().size());
        doc.put("profile", profile);
        Map<String, Object> sensitivity = new LinkedHashMap<>();
        sensitivity.put("quantizable_layers", a.sensitivity().quantizable());
        sensitivity.put("note", a.sensitivity().note());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerSensitivity l : a.sensitivity().layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", l.node());
            m.put("op_type", l.opType());
            m.put("weight_bytes", l.weightBytes());
            m.put("cosine", number(l.cosine()));
            m.put("max_abs_error", number(l.maxAbsError()));
            m.put("accuracy_drop", number(l.drop()));
            layers.add(m);
        }
        sensitivity.put("layers", layers);
        doc.put("sensitivity", sensitivity);
        List<Map<String, Object>> plans = new ArrayList<>();
        for (PlanVerdict v : a.plans()) {
            plans.add(plan(v));
        }
        doc.put("plans", plans);
        PlanVerdict pick = a.recommended();
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("id", pick.plan().id());
        rec.put("description", pick.plan().candidate().description());
        rec.put("reason", pick.reason());
        doc.put("recommendation", rec);
        return doc;
    }

    private static Map<String, Object> plan(PlanVerdict v) {
        MeasuredPlan p = v.plan();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("description", p.candidate().description());
        m.put("kind", p.candidate().kind().name().toLowerCase(Locale.ROOT));
        m.put("measured", p.measured());
        m.put("failure", p.failure());
        m.put("bytes", p.measured() ? p.bytes() : null);
        m.put("size_ratio", number(p.sizeRatio()));
        m.put("latency_ms", number(p.latencyMs()));
        m.put("latency_ratio", number(p.latencyRatio()));
        m.put("cosine", p.measured() ? number(p.accuracy().cosine()) : null);
        m.put("max_abs_error", p.measured() ? number(p.accuracy().maxAbsError()) : null);
        m.put("top1_agreement", p.measured() ? number(p.accuracy().top1Agreement()) : null);
        m.put("accuracy_drop", p.measured() ? number(p.accuracy().drop()) : null);
        m.put("rewrites", p.rewrites());
        m.put("meets_constraint", v.meetsConstraint());
        m.put("recommended", v.recommended());
        m.put("reason", v.reason());
        return m;
    }

    /** JSON has no NaN: a figure that was not measured is null. */
    private static Double number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    public static void text(Advice a, boolean verbose, PrintWriter out) {
        ModelProfile p = a.profile();
        out.printf(Locale.ROOT, "%s%n", a.model());
        out.printf(Locale.ROOT, "  cpu:        %s%n", a.cpu().describe());
        out.printf(Locale.ROOT, "  model:      %d quantizable layer(s) hold %.1f%% of MACs and %.1f%% of weight bytes "
                + "(%s)%n", p.layers().size(), 100 * p.macShare(), 100 * p.weightShare(), Units.bytes(p.weightBytes()));
        out.printf(Locale.ROOT, "  inputs:     %s; ORT CPU, %d thread(s), median of %d interleaved rounds%n",
                a.evaluationSource(), a.threads(), a.latencyRounds());
        List<LayerSensitivity> layers = a.sensitivity().layers();
        if (layers.isEmpty()) {
            out.printf(Locale.ROOT, "  sensitivity: none scanned (%s)%n", a.sensitivity().note());
        } else {
            int shown = verbose ? layers.size() : Math.min(TEXT_LAYERS, layers.size());
            out.printf(Locale.ROOT, "  sensitivity (one layer dynamic int8 at a time, worst first%s):%n",
                    a.sensitivity().note().isEmpty() ? "" : "; " + a.sensitivity().note());
            for (LayerSensitivity l : layers.subList(0, shown)) {
                out.printf(Locale.ROOT, "    %-40s %-8s drop %.2e  cosine %.6f  max abs %.4g%n", l.node(),
                        l.opType(), l.drop(), l.cosine(), l.maxAbsError());
            }
            if (shown < layers.size()) {
                out.printf(Locale.ROOT, "    ... %d more (-v lists them)%n", layers.size() - shown);
            }
        }
        out.printf(Locale.ROOT, "  %-2s%-24s %7s %8s %10s %10s %6s %9s  %s%n", "", "plan", "size", "latency", "cosine",
                "max abs", "top-1", "drop", "why");
        for (PlanVerdict v : a.plans()) {
            MeasuredPlan m = v.plan();
            String mark = v.recommended() ? "* " : "  ";
            if (!m.measured()) {
                out.printf(Locale.ROOT, "  %s%-24s %s%n", mark, m.id(), v.reason());
                continue;
            }
            out.printf(Locale.ROOT, "  %s%-24s %6.3fx %7.2fx %10.6f %10.4g %6s %9.2e  %s%n", mark, m.id(),
                    m.sizeRatio(), m.latencyRatio(), m.accuracy().cosine(), m.accuracy().maxAbsError(),
                    m.accuracy().hasTop1() ? String.format(Locale.ROOT, "%.2f", m.accuracy().top1Agreement()) : "-",
                    m.accuracy().drop(), v.reason());
        }
        PlanVerdict pick = a.recommended();
        out.printf(Locale.ROOT, "  recommended: %s (%s) with --max-accuracy-drop %s%n", pick.plan().id(),
                pick.plan().candidate().description(), a.maxAccuracyDrop());
        out.printf(Locale.ROOT, "  accuracy drop: %s%n", DROP_DEFINITION);
        for (String w : a.warnings()) {
            out.println("  warning: " + w);
        }
        out.flush();
    }
}
