package io.mconv.cli.render;

import io.mconv.agent.profile.BatchProfile;
import io.mconv.agent.profile.LatencyStats;
import io.mconv.agent.profile.ModelProfile;
import java.util.List;
import java.util.Locale;

/**
 * One CSV row per model and batch size (RFC 4180: comma-separated, fields with commas or quotes quoted), for
 * spreadsheets and plotting. Empty fields are figures that could not be measured.
 */
public final class ProfileCsv {

    public static final String HEADER = "model,batch,iterations,mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,min_ms,max_ms,"
            + "stddev_ms,throughput_per_s,macs,gflops,speedup,session_create_ms,first_inference_ms,peak_rss_bytes,"
            + "providers";

    private ProfileCsv() {
    }

    public static String render(List<ModelProfile> models) {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        for (ProfileComparison.Row r : ProfileComparison.rows(models)) {
            ModelProfile m = r.model();
            BatchProfile b = r.batch();
            LatencyStats s = b.latency();
            sb.append(field(m.model().toString())).append(',')
                    .append(b.batch() == null ? "" : b.batch()).append(',')
                    .append(s.count()).append(',')
                    .append(num(s.mean())).append(',').append(num(s.p50())).append(',').append(num(s.p90()))
                    .append(',').append(num(s.p95())).append(',').append(num(s.p99())).append(',')
                    .append(num(s.min())).append(',').append(num(s.max())).append(',').append(num(s.stddev()))
                    .append(',').append(num(b.throughputPerS())).append(',')
                    .append(b.macs() < 0 ? "" : b.macs()).append(',')
                    .append(num(b.gflops())).append(',').append(num(r.speedup())).append(',')
                    .append(num(m.sessionCreateMs())).append(',').append(num(m.firstInferenceMs())).append(',')
                    .append(m.memory().peakRssBytes() < 0 ? "" : m.memory().peakRssBytes()).append(',')
                    .append(field(String.join(" ", m.providers()))).append("\r\n");
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static String field(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
