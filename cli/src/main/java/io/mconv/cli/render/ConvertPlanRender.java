package io.mconv.cli.render;

import io.mconv.agent.pipeline.Plan;
import io.mconv.agent.pipeline.Tool;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mconv convert --dry-run}: the planned steps with their options, as text or {@code mconv.convert.plan/1}. */
public final class ConvertPlanRender {

    private ConvertPlanRender() {
    }

    public static Map<String, Object> json(List<Plan> plans) {
        return json("convert.plan", plans);
    }

    /** @param schemaName {@code convert.plan}, or {@code run.plan} for a workflow's dry run */
    public static Map<String, Object> json(String schemaName, List<Plan> plans) {
        Map<String, Object> doc = Json.document(schemaName);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Plan p : plans) {
            out.add(plan(p));
        }
        doc.put("plans", out);
        return doc;
    }

    private static Map<String, Object> plan(Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", p.source().toString());
        m.put("source_kind", p.sourceKind());
        m.put("output", p.output().toString());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Tool t : p.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", t.name());
            s.put("type", t.category().spelling());
            s.put("description", t.description());
            s.put("options", t.options());
            steps.add(s);
        }
        m.put("steps", steps);
        m.put("notes", p.notes());
        return m;
    }

    public static void text(List<Plan> plans, PrintWriter out) {
        for (Plan p : plans) {
            out.printf("Plan for %s (%s) -> %s%n", p.source(), p.sourceKind(), p.output());
            int i = 1;
            for (Tool t : p.steps()) {
                out.printf("  %d. %-14s %s%n", i++, t.name(), t.description());
                t.options().forEach((k, v) -> out.printf("       %s = %s%n", k, v));
            }
            for (String n : p.notes()) {
                out.println("  note: " + n);
            }
        }
        out.println("Dry run: nothing was run or written.");
        out.flush();
    }
}
