package io.mconv.agent.pipeline.steps;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.validation.ValidationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the tools' result types into the plain maps a step reports and caches. Non-finite numbers become null,
 * since JSON has no NaN.
 */
final class Figures {

    private Figures() {
    }

    static Map<String, Object> validation(ValidationReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", report.passed());
        m.put("reference", report.reference());
        m.put("candidate", report.candidate());
        m.put("outputs", outputs(report.outputs()));
        return m;
    }

    static List<Map<String, Object>> outputs(List<ComparisonResult> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ComparisonResult c : results) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", c.name());
            o.put("passed", c.passed());
            o.put("max_abs_error", number(c.maxAbsError()));
            o.put("max_rel_error", number(c.maxRelError()));
            o.put("cosine", number(c.cosineSimilarity()));
            o.put("tolerance", c.tolerance().toString());
            out.add(o);
        }
        return out;
    }

    static Object number(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
