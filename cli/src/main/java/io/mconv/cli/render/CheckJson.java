package io.mconv.cli.render;

import io.mconv.agent.check.CheckReport;
import io.mconv.agent.check.Finding;
import io.mconv.agent.check.TargetReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code mconv.check/1} document (described in docs/formats/check-json.md). */
public final class CheckJson {

    private CheckJson() {
    }

    public static Map<String, Object> render(CheckReport r) {
        Map<String, Object> doc = Json.document("check");
        doc.put("model", r.model().toString());
        doc.put("ir_version", r.irVersion());
        doc.put("opsets", r.opsets());
        doc.put("nodes", r.nodes());
        List<Map<String, Object>> targets = new ArrayList<>();
        for (TargetReport t : r.targets()) {
            targets.add(target(t));
        }
        doc.put("targets", targets);
        doc.put("all_run", !r.anyTargetWontRun());
        return doc;
    }

    private static Map<String, Object> target(TargetReport t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", t.target().userName());
        m.put("verdict", t.verdict().id());
        m.put("table", t.describes());
        m.put("fallback_nodes", t.fallbackNodes());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : t.findings()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("rule", f.rule().id());
            fm.put("severity", f.severity().id());
            fm.put("node", f.node());
            fm.put("op", f.opType());
            fm.put("opset", f.opset() < 0 ? null : f.opset());
            fm.put("dtype", f.dtype());
            fm.put("message", f.message());
            fm.put("suggestion", f.suggestion());
            findings.add(fm);
        }
        m.put("findings", findings);
        m.put("notes", t.notes());
        if (t.verification() != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("status", t.verification().status().id());
            v.put("detail", t.verification().detail());
            v.put("millis", t.verification().millis());
            v.put("prediction_confirmed", t.predictionConfirmed());
            m.put("verify", v);
        }
        return m;
    }
}
