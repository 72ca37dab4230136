package io.mconv.cli.render;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.torch.TorchStartup;
import io.mconv.agent.validation.SourceValidation;
import io.mconv.ir.ValueType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text and JSON ({@code mconv.validate/1}) renderings of a source-against-target validation. */
public final class ValidateRender {

    private ValidateRender() {
    }

    public static void text(SourceValidation v, PrintWriter out) {
        out.printf(Locale.ROOT, "%s %s (%s, %s)%n", v.passed() ? "MATCH" : "MISMATCH", v.target(),
                v.report().candidate(), ms(v.candidateRun()));
        out.printf(Locale.ROOT, "  against %s (%s, %s)%n", v.source(), v.report().reference(), ms(v.referenceRun()));
        if (v.torchStartup() != null) {
            TorchStartup s = v.torchStartup();
            out.printf(Locale.ROOT, "  libtorch started in %s (jvm %s, libtorch %s, model load %s)%n", ms(s.total()),
                    ms(s.jvmStart()), ms(s.engineInit()), ms(s.modelLoad()));
        }
        List<String> feeds = new ArrayList<>();
        v.feeds().forEach((name, type) -> feeds.add(name + " " + type));
        out.printf(Locale.ROOT, "  inputs  %s: %s%n", v.inputsOrigin(), String.join(", ", feeds));
        out.println();
        out.printf(Locale.ROOT, "  %-24s %-6s %12s %12s %10s %14s  %s%n", "output", "", "max abs", "max rel",
                "cosine", "mismatches", "worst at");
        for (ComparisonResult r : v.report().outputs()) {
            out.printf(Locale.ROOT, "  %-24s %-6s %12.3e %12.3e %10.7f %14s  %s%n", r.name(), r.passed() ? "ok" : "FAIL",
                    r.maxAbsError(), r.maxRelError(), r.cosineSimilarity(), r.mismatches() + "/" + r.elementCount(),
                    r.worstIndex() == null ? "-" : Arrays.toString(r.worstIndex()));
        }
        out.println();
        for (ComparisonResult r : v.report().outputs()) {
            if (!r.passed()) {
                out.printf(Locale.ROOT, "  %s: %s%n", r.name(), r.reason());
            }
        }
        long passed = v.report().outputs().stream().filter(ComparisonResult::passed).count();
        out.printf(Locale.ROOT, "  %d of %d outputs within tolerance; %s%n", passed, v.report().outputs().size(),
                v.report().outputs().isEmpty() ? "no outputs" : "tolerance " + v.report().outputs().get(0).tolerance());
        out.flush();
    }

    public static Map<String, Object> json(SourceValidation v) {
        Map<String, Object> doc = Json.document("validate");
        doc.put("source", v.source().toString());
        doc.put("source_kind", v.sourceKind().displayName());
        doc.put("target", v.target().toString());
        doc.put("passed", v.passed());
        doc.put("reference_runtime", v.report().reference());
        doc.put("target_runtime", v.report().candidate());
        doc.put("inputs_origin", v.inputsOrigin());
        List<Map<String, Object>> inputs = new ArrayList<>();
        v.feeds().forEach((name, type) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", name);
            if (type instanceof ValueType.TensorType t) {
                e.put("dtype", t.elemType().displayName());
                e.put("shape", t.shape().dims().stream().map(d -> d.value()).toList());
            }
            inputs.add(e);
        });
        doc.put("inputs", inputs);
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (ComparisonResult r : v.report().outputs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", r.name());
            e.put("passed", r.passed());
            e.put("elements", r.elementCount());
            e.put("mismatches", r.mismatches());
            e.put("max_abs_error", finite(r.maxAbsError()));
            e.put("max_rel_error", finite(r.maxRelError()));
            e.put("worst_index", r.worstIndex() == null ? null : Arrays.stream(r.worstIndex()).boxed().toList());
            e.put("cosine_similarity", finite(r.cosineSimilarity()));
            e.put("atol", r.tolerance().atol());
            e.put("rtol", r.tolerance().rtol());
            e.put("reason", r.reason().isEmpty() ? null : r.reason());
            outputs.add(e);
        }
        doc.put("outputs", outputs);
        Map<String, Object> timings = new LinkedHashMap<>();
        if (v.torchStartup() != null) {
            timings.put("libtorch_start", v.torchStartup().total().toNanos() / 1e6);
            timings.put("libtorch_model_load", v.torchStartup().modelLoad().toNanos() / 1e6);
        }
        timings.put("reference_run", v.referenceRun().toNanos() / 1e6);
        timings.put("target_run", v.candidateRun().toNanos() / 1e6);
        doc.put("timings_ms", timings);
        return doc;
    }

    /** JSON has no NaN or infinity: those become null (and the reason says what happened). */
    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static String ms(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
    }
}
