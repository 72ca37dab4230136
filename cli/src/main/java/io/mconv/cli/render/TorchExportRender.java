package io.mconv.cli.render;

import io.mconv.agent.export.TorchExportResult;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.torch.export.TorchScriptExporter;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Text and JSON renderings of a TorchScript export ({@code mconv.convert/1}) and of {@code --list-ops}. */
public final class TorchExportRender {

    private TorchExportRender() {
    }

    public static void text(TorchExportResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "Exported %s -> %s (opset %d)%n", r.source(), r.written().modelFile(), r.opset());
        out.printf(Locale.ROOT, "  graph      %d nodes: %s%n", r.nodes(), top(r.opHistogram(), 8));
        out.printf(Locale.ROOT, "  size       %s -> %s (%s)%n", Units.bytes(r.sourceBytes()), Units.bytes(r.outputBytes()),
                r.written().dataFile() == null ? "weights inline" : r.written().externalTensors() + " tensors in "
                        + r.written().dataFile().getFileName() + ", " + Units.bytes(r.written().dataBytes()));
        for (String w : r.warnings()) {
            out.println("  warning    " + w);
        }
        if (r.validation() == null) {
            out.println("  validation skipped (--no-validate)");
        } else {
            out.printf(Locale.ROOT, "  validation %d of %d outputs match %s in %s (seeded random inputs)%n",
                    r.validation().outputs().stream().filter(ComparisonResult::passed).count(),
                    r.validation().outputs().size(), r.validation().reference(), r.validation().candidate());
            for (ComparisonResult c : r.validation().outputs()) {
                out.printf(Locale.ROOT, "    %-20s max abs %.3g, max rel %.3g, cosine %.6f (atol %.0e, rtol %.0e)%n",
                        c.name(), c.maxAbsError(), c.maxRelError(), c.cosineSimilarity(), c.tolerance().atol(),
                        c.tolerance().rtol());
            }
        }
        out.printf(Locale.ROOT, "  time       %.2f s (export %.2f s)%n", r.elapsed().toMillis() / 1000.0,
                r.exportTime().toMillis() / 1000.0);
        out.flush();
    }

    public static Map<String, Object> json(TorchExportResult r) {
        Map<String, Object> doc = Json.document("convert");
        doc.put("source", r.source().toString());
        doc.put("source_format", r.sourceFormat());
        doc.put("output", r.written().modelFile().toString());
        doc.put("data_file", r.written().dataFile() == null ? null : r.written().dataFile().toString());
        doc.put("opset", r.opset());
        doc.put("nodes", r.nodes());
        doc.put("op_histogram", new TreeMap<>(r.opHistogram()));
        doc.put("source_bytes", r.sourceBytes());
        doc.put("output_bytes", r.outputBytes());
        doc.put("warnings", r.warnings());
        doc.put("seconds", r.elapsed().toMillis() / 1000.0);
        doc.put("export_seconds", r.exportTime().toMillis() / 1000.0);
        doc.put("validation", ConvertRender.validationJson(r.validation()));
        return doc;
    }

    public static void listOpsText(Path source, int opset, List<TorchScriptExporter.OpCoverage> ops,
                                   PrintWriter out) {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, TorchScriptExporter.OpCoverage> first = new TreeMap<>();
        for (TorchScriptExporter.OpCoverage c : ops) {
            counts.computeIfAbsent(c.use().op(), k -> new int[1])[0]++;
            first.putIfAbsent(c.use().op(), c);
        }
        long missing = first.values().stream().filter(c -> !c.covered()).count();
        out.printf(Locale.ROOT, "%s: %d operators, %d covered at opset %d, %d not%n", source, first.size(),
                first.size() - missing, opset, missing);
        for (Map.Entry<String, TorchScriptExporter.OpCoverage> e : first.entrySet()) {
            TorchScriptExporter.OpCoverage c = e.getValue();
            String status = c.covered() ? "covered" : c.lowestOpset() > 0 ? "needs opset " + c.lowestOpset()
                    : "NOT SUPPORTED";
            out.printf(Locale.ROOT, "  %-40s %5d  %-14s %s%n", e.getKey(), counts.get(e.getKey())[0], status,
                    c.covered() ? "" : c.use().pos());
        }
        out.flush();
    }

    public static Map<String, Object> listOpsJson(Path source, int opset, List<TorchScriptExporter.OpCoverage> ops) {
        Map<String, Object> doc = Json.document("list-ops");
        doc.put("source", source.toString());
        doc.put("opset", opset);
        Map<String, Map<String, Object>> byOp = new TreeMap<>();
        for (TorchScriptExporter.OpCoverage c : ops) {
            Map<String, Object> o = byOp.computeIfAbsent(c.use().op(), k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("op", k);
                m.put("uses", 0);
                m.put("covered", c.covered());
                m.put("lowest_opset", c.lowestOpset() > 0 ? c.lowestOpset() : null);
                m.put("first_use", String.valueOf(c.use().pos()));
                return m;
            });
            o.put("uses", (Integer) o.get("uses") + 1);
        }
        doc.put("ops", new ArrayList<>(byOp.values()));
        return doc;
    }

    private static String top(Map<String, Integer> histogram, int n) {
        return histogram.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
