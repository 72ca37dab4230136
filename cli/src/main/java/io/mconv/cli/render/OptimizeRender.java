package io.mconv.cli.render;

import io.mconv.agent.optimize.OptimizationResult;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.passes.PassReport;
import io.mconv.passes.PassStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Text and JSON ({@code mconv.optimize/1}) renderings of an optimization. */
public final class OptimizeRender {

    private OptimizeRender() {
    }

    public static void text(OptimizationResult r, boolean verbose, PrintWriter out) {
        PassReport p = r.passes();
        out.printf(Locale.ROOT, "Optimized %s -> %s%n", r.source(), r.written().modelFile());
        out.printf(Locale.ROOT, "  nodes      %d -> %d in %d iteration(s)%s%n", p.nodesBefore(), p.nodesAfter(),
                p.iterations(), p.reachedFixedPoint() ? "" : " (step cap reached before a fixed point)");
        if (r.opsetAfter() != r.opsetBefore()) {
            out.printf(Locale.ROOT, "  opset      %d -> %d%n", r.opsetBefore(), r.opsetAfter());
        }
        out.printf(Locale.ROOT, "  size       %s -> %s%n", Units.bytes(r.sourceBytes()),
                Units.bytes(r.written().modelBytes() + r.written().dataBytes()));
        out.println();
        out.printf(Locale.ROOT, "  %-36s %9s %10s%n", "pass", "rewrites", "time");
        for (PassStats s : p.passes()) {
            out.printf(Locale.ROOT, "  %-36s %9d %8.1f ms%n", s.pass(), s.rewrites(), s.nanos() / 1e6);
        }
        out.println();
        out.printf(Locale.ROOT, "  %-36s %9s %9s%n", "op", "before", "after");
        TreeSet<String> ops = new TreeSet<>(p.opsBefore().keySet());
        ops.addAll(p.opsAfter().keySet());
        for (String op : ops) {
            int before = p.opsBefore().getOrDefault(op, 0);
            int after = p.opsAfter().getOrDefault(op, 0);
            out.printf(Locale.ROOT, "  %-36s %9d %9d%s%n", op, before, after, before == after ? "" : "  *");
        }
        out.println();
        if (r.validation() == null) {
            out.println("  validation skipped (--no-validate)");
        } else {
            out.printf(Locale.ROOT, "  validation %d of %d outputs match the original in %s (seeded random inputs)%n",
                    r.validation().outputs().stream().filter(ComparisonResult::passed).count(),
                    r.validation().outputs().size(), r.validation().candidate());
        }
        out.printf(Locale.ROOT, "  time       %.2f s%n", r.elapsed().toMillis() / 1000.0);
        if (verbose && !p.diagnostics().isEmpty()) {
            out.println();
            out.println("  diagnostics:");
            p.diagnostics().stream().distinct().forEach(d -> out.println("    " + d));
        }
        out.flush();
    }

    public static Map<String, Object> json(OptimizationResult r) {
        PassReport p = r.passes();
        Map<String, Object> doc = Json.document("optimize");
        doc.put("source", r.source().toString());
        doc.put("output", r.written().modelFile().toString());
        doc.put("nodes_before", p.nodesBefore());
        doc.put("nodes_after", p.nodesAfter());
        doc.put("opset_before", r.opsetBefore());
        doc.put("opset_after", r.opsetAfter());
        doc.put("iterations", p.iterations());
        doc.put("fixed_point", p.reachedFixedPoint());
        doc.put("rewrites", p.totalRewrites());
        List<Map<String, Object>> passes = new ArrayList<>();
        for (PassStats s : p.passes()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.pass());
            e.put("rewrites", s.rewrites());
            e.put("runs", s.runs());
            e.put("ms", s.nanos() / 1e6);
            passes.add(e);
        }
        doc.put("passes", passes);
        doc.put("ops_before", p.opsBefore());
        doc.put("ops_after", p.opsAfter());
        doc.put("validation", r.validation() == null ? null : Map.of("passed", r.validation().passed(),
                "runtime", r.validation().candidate(), "outputs", r.validation().outputs().size()));
        doc.put("source_bytes", r.sourceBytes());
        doc.put("output_bytes", r.written().modelBytes() + r.written().dataBytes());
        doc.put("seconds", r.elapsed().toMillis() / 1000.0);
        doc.put("diagnostics", p.diagnostics().stream().distinct().toList());
        return doc;
    }
}
