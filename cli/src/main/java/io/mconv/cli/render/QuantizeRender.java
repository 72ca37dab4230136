package io.mconv.cli.render;

import io.mconv.agent.quantize.LatencyComparison;
import io.mconv.agent.quantize.OutputQuality;
import io.mconv.agent.quantize.QualityReport;
import io.mconv.agent.quantize.QuantizeResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code mconv quantize} as text or as the {@code mconv.quantize/1} JSON document. */
public final class QuantizeRender {

    private QuantizeRender() {
    }

    public static Map<String, Object> json(QuantizeResult r) {
        Map<String, Object> doc = Json.document("quantize");
        doc.put("source", r.source().toString());
        doc.put("output", r.written().modelFile().toString());
        doc.put("plan", r.plan());
        doc.put("precision", r.precision());
        doc.put("source_bytes", r.sourceBytes());
        doc.put("output_bytes", r.outputBytes());
        doc.put("size_ratio", r.sizeRatio());
        doc.put("opset_before", r.opsetBefore());
        doc.put("opset_after", r.opsetAfter());
        doc.put("rewrites", r.passes().totalRewrites());
        doc.put("ops_after", r.passes().opsAfter());
        doc.put("notes", r.notes());
        doc.put("warnings", r.warnings());
        QualityReport q = r.quality();
        if (q != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("min_cosine_required", q.minCosine());
            v.put("worst_cosine", q.worstCosine());
            v.put("max_abs_error", q.worstAbsError());
            v.put("tolerance", q.tolerance().name());
            List<Map<String, Object>> outs = new ArrayList<>();
            for (OutputQuality o : q.outputs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", o.name());
                m.put("cosine", o.cosine());
                m.put("max_abs_error", o.maxAbsError());
                m.put("top1_agreement", o.classifier() ? o.top1Agreement() : null);
                m.put("within_tolerance", o.withinTolerance());
                outs.add(m);
            }
            v.put("outputs", outs);
            doc.put("validation", v);
        } else {
            doc.put("validation", null);
        }
        LatencyComparison l = r.latency();
        if (l != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("float_ms", l.floatMillis());
            m.put("quantized_ms", l.quantizedMillis());
            m.put("ratio", l.ratio());
            m.put("runs", l.runs());
            doc.put("latency", m);
        } else {
            doc.put("latency", null);
        }
        doc.put("elapsed_ms", r.elapsed().toMillis());
        return doc;
    }

    public static void text(QuantizeResult r, boolean verbose, PrintWriter out) {
        out.printf(Locale.ROOT, "%s -> %s%n", r.source(), r.written().modelFile());
        out.printf(Locale.ROOT, "  plan:      %s (%d rewrites%s)%n", r.plan(), r.passes().totalRewrites(),
                r.opsetAfter() != r.opsetBefore() ? ", opset " + r.opsetBefore() + " -> " + r.opsetAfter() : "");
        out.printf(Locale.ROOT, "  size:      %s -> %s (%.3fx)%n", Units.bytes(r.sourceBytes()),
                Units.bytes(r.outputBytes()), r.sizeRatio());
        QualityReport q = r.quality();
        if (q == null) {
            out.println("  accuracy:  not measured (--no-validate)");
        } else {
            for (OutputQuality o : q.outputs()) {
                out.printf(Locale.ROOT, "  output %s: cosine %.6f (bar %.3f), max abs error %.4g%s%n", o.name(),
                        o.cosine(), q.minCosine(), o.maxAbsError(),
                        o.classifier() ? String.format(Locale.ROOT, ", top-1 agreement %.1f%%",
                                100 * o.top1Agreement()) : "");
            }
        }
        LatencyComparison l = r.latency();
        if (l != null) {
            out.printf(Locale.ROOT, "  latency:   %.2f ms -> %.2f ms (%.2fx, ORT CPU median of %d)%s%n",
                    l.floatMillis(), l.quantizedMillis(), l.ratio(), l.runs(),
                    l.ratio() > 1 ? "  slower than float on this CPU" : "");
        }
        List<String> notes = r.notes();
        if (!notes.isEmpty()) {
            out.printf(Locale.ROOT, "  left alone: %d node(s)%s%n", notes.size(), verbose ? ":" : " (-v lists them)");
            if (verbose) {
                notes.forEach(n -> out.println("    " + n));
            }
        }
        out.flush();
    }
}
