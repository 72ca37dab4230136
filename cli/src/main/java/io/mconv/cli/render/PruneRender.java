package io.mconv.cli.render;

import io.mconv.agent.prune.PruneResult;
import io.mconv.agent.quantize.LatencyComparison;
import io.mconv.agent.quantize.OutputQuality;
import io.mconv.agent.quantize.QualityReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code mconv prune} as text or as the {@code mconv.prune/1} JSON document. */
public final class PruneRender {

    private PruneRender() {
    }

    public static Map<String, Object> json(PruneResult r) {
        Map<String, Object> doc = Json.document("prune");
        doc.put("source", r.source().toString());
        doc.put("output", r.written().modelFile().toString());
        doc.put("method", r.method());
        doc.put("sparsity_asked", r.sparsityAsked());
        doc.put("sparsity_reached", r.sparsityReached());
        doc.put("layers_pruned", r.layersPruned());
        doc.put("skipped", r.skipped());
        doc.put("parameters_before", r.parametersBefore());
        doc.put("parameters_after", r.parametersAfter());
        doc.put("nonzero_parameters_after", r.nonzeroParametersAfter());
        doc.put("source_bytes", r.sourceBytes());
        doc.put("output_bytes", r.outputBytes());
        doc.put("size_ratio", r.sizeRatio());
        QualityReport q = r.quality();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("max_accuracy_drop", q.minCosine() < 0 ? null : 1 - q.minCosine());
        v.put("accuracy_drop", r.accuracyDrop());
        v.put("worst_cosine", q.worstCosine());
        v.put("max_abs_error", q.worstAbsError());
        List<Map<String, Object>> outs = new ArrayList<>();
        for (OutputQuality o : q.outputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", o.name());
            m.put("cosine", o.cosine());
            m.put("max_abs_error", o.maxAbsError());
            m.put("top1_agreement", o.classifier() ? o.top1Agreement() : null);
            outs.add(m);
        }
        v.put("outputs", outs);
        doc.put("validation", v);
        LatencyComparison l = r.latency();
        if (l != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("original_ms", l.floatMillis());
            m.put("pruned_ms", l.quantizedMillis());
            m.put("ratio", l.ratio());
            m.put("runs", l.runs());
            doc.put("latency", m);
        } else {
            doc.put("latency", null);
        }
        doc.put("elapsed_ms", r.elapsed().toMillis());
        return doc;
    }

    public static void text(PruneResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "%s -> %s%n", r.source(), r.written().modelFile());
        out.printf(Locale.ROOT, "  method:     %s, sparsity %.3f asked, %.3f reached over the layer weights "
                + "(%d layers pruned)%n", r.method(), r.sparsityAsked(), r.sparsityReached(), r.layersPruned());
        out.printf(Locale.ROOT, "  parameters: %d -> %d (%d non-zero)%n", r.parametersBefore(),
                r.parametersAfter(), r.nonzeroParametersAfter());
        out.printf(Locale.ROOT, "  size:       %s -> %s (%.3fx)%n", Units.bytes(r.sourceBytes()),
                Units.bytes(r.outputBytes()), r.sizeRatio());
        QualityReport q = r.quality();
        for (OutputQuality o : q.outputs()) {
            out.printf(Locale.ROOT, "  output %s: cosine %.6f, max abs error %.4g%s%n", o.name(), o.cosine(),
                    o.maxAbsError(), o.classifier() ? String.format(Locale.ROOT, ", top-1 agreement %.1f%%",
                            100 * o.top1Agreement()) : "");
        }
        LatencyComparison l = r.latency();
        if (l != null) {
            out.printf(Locale.ROOT, "  latency:    %.2f ms -> %.2f ms (%.2fx, ORT CPU median of %d)%n",
                    l.floatMillis(), l.quantizedMillis(), l.ratio(), l.runs());
        }
        if (!r.skipped().isEmpty()) {
            // always listed: which layers stayed dense, and why, is what a user tunes pruning with
            out.printf(Locale.ROOT, "  left alone: %d layer(s):%n", r.skipped().size());
            r.skipped().forEach(s -> out.println("    " + s));
        }
        out.flush();
    }
}
