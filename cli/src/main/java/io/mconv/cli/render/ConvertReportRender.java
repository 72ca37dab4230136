package io.mconv.cli.render;

import io.mconv.agent.pipeline.ConstraintCheck;
import io.mconv.agent.pipeline.ConversionReport;
import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.StepResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a planned conversion: {@code mconv.convert/1} for {@code --json} and {@code --report FILE} (the same
 * document), and a short text summary. Figures that were not measured are null, never NaN.
 */
public final class ConvertReportRender {

    private ConvertReportRender() {
    }

    public static Map<String, Object> json(ConversionReport r) {
        Map<String, Object> doc = Json.document("convert");
        doc.putAll(body(r));
        return doc;
    }

    /** The report without the schema line, for one model of a batch. */
    public static Map<String, Object> body(ConversionReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", r.source().toString());
        m.put("source_sha256", r.sourceSha256());
        m.put("output", r.output() == null ? null : r.output().toString());
        m.put("written", r.output() != null);
        m.put("source_bytes", r.sourceBytes());
        m.put("target_bytes", r.targetBytes());
        m.put("size_ratio", (double) r.targetBytes() / r.sourceBytes());
        m.put("conversion_ms", r.conversionMs());
        m.put("peak_memory_bytes", r.peakMemoryBytes() < 0 ? null : r.peakMemoryBytes());
        m.put("speedup", num(r.speedup()));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("result_p50", num(r.latencyMs()));
        latency.put("baseline_p50", num(r.baselineLatencyMs()));
        m.put("latency_ms", latency);
        m.put("accuracy_drop", num(r.accuracyDrop()));
        m.put("cache_hits", r.cacheHits());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepResult s : r.steps()) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("name", s.name());
            st.put("type", s.kind().spelling());
            st.put("cached", s.cached());
            st.put("time_ms", s.millis());
            st.put("figures", s.figures());
            List<Map<String, Object>> diagnostics = new ArrayList<>();
            for (Diagnostic d : s.diagnostics()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("severity", d.severity());
                dm.put("code", d.code());
                dm.put("message", d.message());
                diagnostics.add(dm);
            }
            st.put("diagnostics", diagnostics);
            steps.add(st);
        }
        m.put("steps", steps);
        List<Map<String, Object>> constraints = new ArrayList<>();
        for (ConstraintCheck c : r.constraints()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("limit", c.limit());
            cm.put("measured", c.measured());
            cm.put("met", c.met());
            constraints.add(cm);
        }
        m.put("constraints", constraints);
        m.put("constraints_met", r.constraintsMet());
        return m;
    }

    /** @param verbose also list the steps' info diagnostics (pass notes), not only their warnings */
    public static void text(ConversionReport r, boolean verbose, PrintWriter out) {
        out.printf(Locale.ROOT, "%s -> %s%n", r.source(), r.output() == null ? "(nothing written)" : r.output());
        for (StepResult s : r.steps()) {
            out.printf(Locale.ROOT, "  %-14s %-13s %9.1f ms%s%n", s.name(), s.kind().failureType(), s.millis(),
                    s.cached() ? "  (cached)" : "");
            for (Diagnostic d : s.diagnostics()) {
                if (!verbose && Diagnostic.INFO.equals(d.severity())) {
                    continue;
                }
                out.printf("      %s %s: %s%n", d.severity(), d.code(), d.message());
            }
            if (s.figures().get("candidates") instanceof List<?> rows) {
                candidates(rows, out);
            }
        }
        out.printf(Locale.ROOT, "  size %s -> %s (%.3fx)%n", Units.bytes(r.sourceBytes()), Units.bytes(r.targetBytes()),
                (double) r.targetBytes() / r.sourceBytes());
        if (!Double.isNaN(r.speedup())) {
            out.printf(Locale.ROOT, "  latency (onnxruntime cpu, p50) %.3f ms, float ONNX %.3f ms, speedup %.2fx%n",
                    r.latencyMs(), r.baselineLatencyMs(), r.speedup());
        }
        if (!Double.isNaN(r.accuracyDrop())) {
            out.printf(Locale.ROOT, "  accuracy drop (worst 1 - cosine vs the source) %.3g%n", r.accuracyDrop());
        }
        for (ConstraintCheck c : r.constraints()) {
            out.println("  " + (c.met() ? "met    " : "MISSED ") + c.describe());
        }
        out.printf(Locale.ROOT, "  %.1f s, peak memory %s, %d of %d steps from the cache%n", r.conversionMs() / 1e3,
                r.peakMemoryBytes() < 0 ? "n/a" : Units.bytes(r.peakMemoryBytes()), r.cacheHits(), r.steps().size());
        out.flush();
    }

    /**
     * The plans {@code --quantize auto} measured: size and latency against the float model, accuracy drop, whether
     * each meets the limit and lies on the size/latency Pareto front, and why it lost.
     */
    private static void candidates(List<?> rows, PrintWriter out) {
        out.printf(Locale.ROOT, "      %-2s %-34s %6s %8s %9s  %s%n", "", "plan", "size", "latency", "acc drop",
                "verdict");
        for (Object o : rows) {
            Map<?, ?> row = (Map<?, ?>) o;
            String mark = Boolean.TRUE.equals(row.get("chosen")) ? "*" : Boolean.TRUE.equals(row.get("pareto"))
                    ? "p" : "";
            out.printf(Locale.ROOT, "      %-2s %-34s %6s %8s %9s  %s%n", mark, row.get("plan"),
                    ratio(row.get("size_ratio")), ratio(row.get("latency_ratio")), drop(row.get("accuracy_drop")),
                    row.get("reason"));
        }
        out.println("      (* chosen, p on the Pareto front of size and latency among the plans within the limit)");
    }

    private static String ratio(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.3fx", n.doubleValue()) : "n/a";
    }

    private static String drop(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.2g", n.doubleValue()) : "n/a";
    }

    static Object num(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
