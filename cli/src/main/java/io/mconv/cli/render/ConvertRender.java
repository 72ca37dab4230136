package io.mconv.cli.render;

import io.mconv.agent.convert.ConversionResult;
import io.mconv.agent.runtime.ComparisonResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text and JSON ({@code mconv.convert/1}) renderings of a conversion. */
public final class ConvertRender {

    private ConvertRender() {
    }

    public static void text(ConversionResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "Converted %s -> %s%n", r.source(), r.written().modelFile());
        String data = r.written().dataFile() == null ? "weights inline"
                : r.written().externalTensors() + " tensors in " + r.written().dataFile().getFileName() + " ("
                + Units.bytes(r.written().dataBytes()) + ")";
        out.printf(Locale.ROOT, "  size       %s -> %s (%s)%n", Units.bytes(r.sourceBytes()), Units.bytes(r.outputBytes()),
                data);
        if (r.opset() != null) {
            out.printf(Locale.ROOT, "  opset      %d -> %d (rewritten: %s)%n", r.opset().from(), r.opset().to(),
                    r.opset().adaptedByOp().isEmpty() ? "none, only versions changed" : r.opset().adaptedByOp());
        }
        if (r.validation() == null) {
            out.println("  validation skipped (--no-validate)");
        } else {
            out.printf(Locale.ROOT, "  validation %d of %d outputs match the source in %s (seeded random inputs)%n",
                    r.validation().outputs().stream().filter(ComparisonResult::passed).count(),
                    r.validation().outputs().size(), r.validation().candidate());
            for (ComparisonResult c : r.validation().outputs()) {
                out.printf(Locale.ROOT, "    %-20s max abs %.3g, max rel %.3g, cosine %.6f (%s)%n", c.name(),
                        c.maxAbsError(), c.maxRelError(), c.cosineSimilarity(), c.tolerance().name());
            }
        }
        out.printf(Locale.ROOT, "  time       %.2f s%n", r.elapsed().toMillis() / 1000.0);
        out.flush();
    }

    public static Map<String, Object> json(ConversionResult r) {
        Map<String, Object> doc = Json.document("convert");
        doc.put("source", r.source().toString());
        doc.put("output", r.written().modelFile().toString());
        doc.put("data_file", r.written().dataFile() == null ? null : r.written().dataFile().toString());
        doc.put("external_tensors", r.written().externalTensors());
        doc.put("source_bytes", r.sourceBytes());
        doc.put("output_bytes", r.outputBytes());
        doc.put("seconds", r.elapsed().toMillis() / 1000.0);
        Map<String, Object> opset = null;
        if (r.opset() != null) {
            opset = new LinkedHashMap<>();
            opset.put("from", r.opset().from());
            opset.put("to", r.opset().to());
            opset.put("rewritten", r.opset().adaptedByOp());
        }
        doc.put("opset", opset);
        doc.put("validation", validationJson(r.validation()));
        return doc;
    }

    /** A validation report as JSON (null when validation was skipped); shared by every convert rendering. */
    public static Map<String, Object> validationJson(io.mconv.agent.validation.ValidationReport report) {
        if (report == null) {
            return null;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("passed", report.passed());
        v.put("reference", report.reference());
        v.put("candidate", report.candidate());
        List<Map<String, Object>> outs = new ArrayList<>();
        for (ComparisonResult c : report.outputs()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", c.name());
            o.put("passed", c.passed());
            o.put("max_abs_error", c.maxAbsError());
            o.put("max_rel_error", finite(c.maxRelError()));
            o.put("cosine", finite(c.cosineSimilarity()));
            o.put("tolerance", Map.of("name", c.tolerance().name(), "atol", c.tolerance().atol(),
                    "rtol", c.tolerance().rtol()));
            outs.add(o);
        }
        v.put("outputs", outs);
        return v;
    }

    /** JSON has no NaN or infinity. */
    private static Object finite(double d) {
        return Double.isFinite(d) ? d : String.valueOf(d);
    }
}
