package io.mconv.cli.render;

import io.mconv.agent.profile.BatchProfile;
import io.mconv.agent.profile.LatencyHistogram;
import io.mconv.agent.profile.LatencyStats;
import io.mconv.agent.profile.MemoryReport;
import io.mconv.agent.profile.ModelProfile;
import io.mconv.agent.profile.OpBreakdown;
import io.mconv.agent.profile.ProfileOptions;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mconv.profile/1} document (docs/formats/profile-json.md describes every key). Times are
 * milliseconds, memory bytes; a figure that could not be measured is null, never a made-up 0.
 */
public final class ProfileJson {

    private ProfileJson() {
    }

    public static Map<String, Object> render(List<ModelProfile> models, ProfileOptions options) {
        Map<String, Object> doc = Json.document("profile");
        doc.put("runtime", models.isEmpty() ? null : models.get(0).runtime());
        doc.put("settings", settings(options));
        List<Object> list = new ArrayList<>();
        for (ModelProfile m : models) {
            list.add(model(m, models.get(0)));
        }
        doc.put("models", list);
        List<Object> comparison = new ArrayList<>();
        for (ProfileComparison.Row r : ProfileComparison.rows(models)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", r.model().name());
            row.put("batch", r.batch().batch());
            row.put("p50_ms", r.batch().latency().p50());
            row.put("mean_ms", r.batch().latency().mean());
            row.put("throughput_per_s", r.batch().throughputPerS());
            row.put("speedup", number(r.speedup()));
            comparison.add(row);
        }
        doc.put("comparison", comparison);
        return doc;
    }

    private static Map<String, Object> settings(ProfileOptions o) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("providers_requested", o.providers().stream().map(ExecutionProvider::userName).toList());
        s.put("strict_provider", o.strictProvider());
        s.put("threads", o.threads());
        s.put("warmup", o.warmup());
        s.put("iterations", o.budget().duration() == null ? o.budget().iterations() : null);
        s.put("duration_ms", o.budget().duration() == null ? null : o.budget().duration().toNanos() / 1e6);
        s.put("batches", o.batches());
        s.put("inputs", o.inputsDir() == null ? "random" : o.inputsDir().toString());
        s.put("seed", o.inputsDir() == null ? o.seed() : null);
        s.put("op_profile_runs", o.opProfileRuns());
        return s;
    }

    private static Map<String, Object> model(ModelProfile m, ModelProfile baseline) {
        Map<String, Object> out = new LinkedHashMap<>();
        BatchProfile first = m.primary();
        out.put("model", m.model().toString());
        out.put("name", m.name());
        out.put("providers", m.providers());
        out.put("warnings", m.allWarnings());
        out.put("session_create_ms", m.sessionCreateMs());
        out.put("first_inference_ms", m.firstInferenceMs());
        out.put("batch", first.batch());
        out.put("iterations", first.latency().count());
        out.put("latency_ms", latency(first.latency()));
        out.put("throughput_per_s", first.throughputPerS());
        out.put("macs", first.macs() < 0 ? null : first.macs());
        out.put("gflops", number(first.gflops()));
        out.put("speedup", number(ProfileComparison.speedup(baseline, first)));
        List<Object> batches = new ArrayList<>();
        for (BatchProfile b : m.batches()) {
            batches.add(batch(b, baseline));
        }
        out.put("batches", batches);
        out.put("memory", memory(m.memory()));
        out.put("ops", m.ops() == null ? null : ops(m.ops()));
        out.put("ops_note", m.opsNote().isEmpty() ? null : m.opsNote());
        return out;
    }

    private static Map<String, Object> batch(BatchProfile b, ModelProfile baseline) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batch", b.batch());
        out.put("input_shapes", new LinkedHashMap<>(b.inputShapes()));
        out.put("iterations", b.latency().count());
        out.put("latency_ms", latency(b.latency()));
        out.put("throughput_per_s", b.throughputPerS());
        out.put("macs", b.macs() < 0 ? null : b.macs());
        out.put("macs_complete", b.macsComplete());
        out.put("gflops", number(b.gflops()));
        out.put("speedup", number(ProfileComparison.speedup(baseline, b)));
        LatencyHistogram h = b.histogram();
        Map<String, Object> hist = new LinkedHashMap<>();
        hist.put("start_ms", h.startMs());
        hist.put("bin_ms", h.binMs());
        hist.put("counts", h.counts());
        out.put("histogram", hist);
        return out;
    }

    /** The keys CLI.md promises: mean, p50, p90, p95, p99, min, max, stddev. */
    static Map<String, Object> latency(LatencyStats s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mean", s.mean());
        out.put("p50", s.p50());
        out.put("p90", s.p90());
        out.put("p95", s.p95());
        out.put("p99", s.p99());
        out.put("min", s.min());
        out.put("max", s.max());
        out.put("stddev", s.stddev());
        return out;
    }

    private static Map<String, Object> memory(MemoryReport m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rss_before_bytes", bytes(m.rssBeforeBytes()));
        out.put("rss_after_session_bytes", bytes(m.rssAfterSessionBytes()));
        out.put("peak_rss_bytes", bytes(m.peakRssBytes()));
        out.put("peak_rss_delta_bytes", bytes(m.peakDeltaBytes()));
        out.put("peak_is_per_model", m.peakIsPerModel());
        out.put("arena_bytes", bytes(m.arenaBytes()));
        out.put("arena_note", m.arenaNote().isEmpty() ? null : m.arenaNote());
        return out;
    }

    private static Map<String, Object> ops(OpBreakdown o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", o.runs());
        out.put("kernel_ms_per_run", o.kernelMsPerRun());
        out.put("run_ms_per_run", o.runMsPerRun());
        out.put("by_op_type", o.byOpType().stream().map(t -> opTime(t, false)).toList());
        out.put("top_nodes", o.topNodes().stream().map(t -> opTime(t, true)).toList());
        return out;
    }

    private static Map<String, Object> opTime(OpBreakdown.OpTime t, boolean node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node) {
            out.put("name", t.name());
        }
        out.put("op_type", t.opType());
        if (!node) {
            out.put("nodes", t.nodes());
        }
        out.put("provider", t.provider().isEmpty() ? null : t.provider());
        out.put("ms_per_run", t.msPerRun());
        out.put("share", t.share());
        return out;
    }

    private static Object bytes(long n) {
        return n < 0 ? null : n;
    }

    /** JSON has no NaN: an unmeasured ratio or rate is null. */
    private static Object number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
