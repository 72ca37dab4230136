package io.mconv.cli.render;

import io.mconv.agent.profile.BatchProfile;
import io.mconv.agent.profile.LatencyStats;
import io.mconv.agent.profile.MemoryReport;
import io.mconv.agent.profile.ModelProfile;
import io.mconv.agent.profile.OpBreakdown;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The report for people: one block per model, then a side-by-side table when there are several. */
public final class ProfileText {

    private static final int TOP_TYPES = 8;

    private ProfileText() {
    }

    public static void render(List<ModelProfile> models, PrintWriter out) {
        for (ModelProfile m : models) {
            model(m, out);
            out.println();
        }
        if (models.size() > 1) {
            comparison(models, out);
        }
        out.flush();
    }

    private static void model(ModelProfile m, PrintWriter out) {
        out.printf(Locale.ROOT, "%s  %s (%s)%n", m.model(), m.runtime(), String.join(", ", m.providers()));
        out.printf(Locale.ROOT, "  session creation  %s    first inference  %s%n", ms(m.sessionCreateMs()),
                ms(m.firstInferenceMs()));
        out.printf(Locale.ROOT, "  %-6s %6s %9s %9s %9s %9s %9s %9s %9s %9s %11s %8s%n", "batch", "iters", "mean ms",
                "p50", "p90", "p95", "p99", "min", "max", "stddev", "items/s", "GFLOP/s");
        for (BatchProfile b : m.batches()) {
            LatencyStats s = b.latency();
            out.printf(Locale.ROOT, "  %-6s %6d %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %11.1f %8s%n",
                    b.batch() == null ? "-" : b.batch().toString(), s.count(), s.mean(), s.p50(), s.p90(), s.p95(),
                    s.p99(), s.min(), s.max(), s.stddev(), b.throughputPerS(),
                    Double.isFinite(b.gflops()) ? String.format(Locale.ROOT, "%.2f", b.gflops()) : "-");
        }
        BatchProfile first = m.primary();
        out.printf(Locale.ROOT, "  MACs              %s%s%n", first.macs() < 0 ? "unknown" : Units.count(first.macs()),
                first.macs() >= 0 && !first.macsComplete() ? " (some nodes' shapes unknown: a lower bound)" : "");
        memory(m.memory(), out);
        if (m.ops() != null) {
            ops(m.ops(), out);
        } else {
            out.println("  per-op            " + m.opsNote());
        }
    }

    private static void memory(MemoryReport mem, PrintWriter out) {
        String peak = mem.peakRssBytes() < 0 ? "not available (no /proc/self/status)"
                : Units.bytes(mem.peakRssBytes()) + " peak RSS, +" + Units.bytes(mem.peakDeltaBytes())
                + " over the run" + (mem.peakIsPerModel() ? "" : " (peak since process start)");
        out.println("  memory            " + peak);
        out.println("  ORT arena         " + (mem.arenaBytes() < 0 ? mem.arenaNote() : Units.bytes(mem.arenaBytes())));
    }

    private static void ops(OpBreakdown ops, PrintWriter out) {
        out.printf(Locale.ROOT, "  per-op (ORT profiler, %d runs, kernels %s of %s a run)%n", ops.runs(),
                ms(ops.kernelMsPerRun()), ms(ops.runMsPerRun()));
        List<OpBreakdown.OpTime> types = ops.byOpType();
        for (OpBreakdown.OpTime t : types.subList(0, Math.min(TOP_TYPES, types.size()))) {
            out.printf(Locale.ROOT, "    %-24s %5.1f%%  %10s  %3d node%s%n", t.opType(), 100 * t.share(),
                    ms(t.msPerRun()), t.nodes(), t.nodes() == 1 ? "" : "s");
        }
        if (!ops.topNodes().isEmpty()) {
            out.println("  slowest nodes");
            for (OpBreakdown.OpTime n : ops.topNodes()) {
                out.printf(Locale.ROOT, "    %-40s %-18s %5.1f%%  %10s%n", n.name(), n.opType(), 100 * n.share(),
                        ms(n.msPerRun()));
            }
        }
    }

    private static void comparison(List<ModelProfile> models, PrintWriter out) {
        out.println("Comparison (speedup = first model's p50 / this p50, same batch)");
        int width = Math.max(5, models.stream().mapToInt(m -> m.name().length()).max().orElse(5));
        out.printf(Locale.ROOT, "  %-" + width + "s %6s %10s %10s %10s %11s %8s%n", "model", "batch", "p50 ms",
                "mean ms", "p95 ms", "items/s", "speedup");
        for (ProfileComparison.Row r : ProfileComparison.rows(models)) {
            LatencyStats s = r.batch().latency();
            out.printf(Locale.ROOT, "  %-" + width + "s %6s %10.3f %10.3f %10.3f %11.1f %8s%n", r.model().name(),
                    r.batch().batch() == null ? "-" : r.batch().batch().toString(), s.p50(), s.mean(), s.p95(),
                    r.batch().throughputPerS(),
                    Double.isFinite(r.speedup()) ? String.format(Locale.ROOT, "%.2fx", r.speedup()) : "-");
        }
    }

    static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v)
                : v >= 1 ? String.format(Locale.ROOT, "%.2f ms", v) : String.format(Locale.ROOT, "%.3f ms", v);
    }
}
