package io.mconv.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.agent.profile.LatencyStats;
import io.mconv.agent.profile.ModelProfile;
import io.mconv.agent.profile.ProfileOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML file: inline CSS, inline script, inline SVG drawn by that script from the
 * embedded {@code mconv.profile/1} document (latency histograms, per-op bars, batch scaling), and the comparison
 * table as plain HTML so it reads even with scripts off. A Content-Security-Policy forbids every fetch, so the
 * file works offline and cannot leak anything when opened.
 */
public final class ProfileHtml {

    private ProfileHtml() {
    }

    public static String render(List<ModelProfile> models, ProfileOptions options) {
        Map<String, Object> doc = ProfileJson.render(models, options);
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report's data: " + e.getMessage(), e);
        }
        // Inside <script>, "</script>" or "<!--" in a model name would end the block; \u003c is the same JSON.
        json = json.replace("<", "\\u003c");
        StringBuilder table = new StringBuilder();
        for (ProfileComparison.Row r : ProfileComparison.rows(models)) {
            LatencyStats s = r.batch().latency();
            table.append("<tr><td>").append(escape(r.model().name())).append("</td><td>")
                    .append(r.batch().batch() == null ? "-" : r.batch().batch()).append("</td>")
                    .append(cell(s.mean())).append(cell(s.p50())).append(cell(s.p90())).append(cell(s.p95()))
                    .append(cell(s.p99())).append(cell(s.min())).append(cell(s.max())).append(cell(s.stddev()))
                    .append("<td>").append(String.format(Locale.ROOT, "%.1f", r.batch().throughputPerS()))
                    .append("</td><td>").append(Double.isFinite(r.speedup())
                            ? String.format(Locale.ROOT, "%.2fx", r.speedup()) : "-").append("</td></tr>\n");
        }
        String runtime = models.isEmpty() ? "" : models.get(0).runtime();
        return TEMPLATE.replace("@RUNTIME@", escape(runtime))
                .replace("@ROWS@", table.toString())
                .replace("@DATA@", json)
                .replace("@SCRIPT@", SCRIPT);
    }

    private static String cell(double v) {
        return String.format(Locale.ROOT, "<td>%.3f</td>", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
            script-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>mconv profile</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2433; background: #fff; }
            h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
            h3 { font-size: 15px; margin: 16px 0 6px; } .meta { color: #5b6478; margin: 0 0 16px; }
            table { border-collapse: collapse; } th, td { padding: 4px 10px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            thead th { border-bottom: 2px solid #1d2433; } tbody tr:nth-child(odd) { background: #f1f4f9; }
            .charts { display: flex; flex-wrap: wrap; gap: 24px; }
            .chart { border: 1px solid #d5dbe5; border-radius: 6px; padding: 8px; }
            .chart-title { font-weight: 600; margin: 0 0 4px; }
            svg text { font: 11px system-ui, sans-serif; fill: #1d2433; }
            .warn { color: #9a3b00; }
            </style>
            </head>
            <body>
            <h1>mconv profile</h1>
            <p class="meta">@RUNTIME@</p>
            <section id="comparison">
            <h2>Comparison</h2>
            <table>
            <thead><tr><th>model</th><th>batch</th><th>mean ms</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th>\
            <th>min</th><th>max</th><th>stddev</th><th>items/s</th><th>speedup</th></tr></thead>
            <tbody>
            @ROWS@</tbody>
            </table>
            </section>
            <section id="scaling">
            <h2>Batch scaling</h2>
            <div class="chart" id="scaling-chart"></div>
            </section>
            <section id="models"></section>
            <script type="application/json" id="profile-data">@DATA@</script>
            <script>
            @SCRIPT@
            </script>
            </body>
            </html>
            """;

    /** Draws every chart at load time from #profile-data; nothing is fetched. */
    private static final String SCRIPT = """
            (function () {
              'use strict';
              var data = JSON.parse(document.getElementById('profile-data').textContent);
              var NS = 'http://www.w3.org/2000/svg';
              var COLORS = ['#2f6fdf', '#e0782b', '#2e9e5b', '#b03fb3', '#c9403a', '#7a6a2f'];
              function el(name, attrs, parent) {
                var e = document.createElementNS(NS, name);
                for (var k in attrs) { e.setAttribute(k, attrs[k]); }
                if (parent) { parent.appendChild(e); }
                return e;
              }
              function label(parent, x, y, s, anchor) {
                var t = el('text', {x: x, y: y, 'text-anchor': anchor || 'start'}, parent);
                t.textContent = s;
                return t;
              }
              function tip(node, s) { el('title', {}, node).textContent = s; }
              function fmt(v) { return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3); }
              function box(parent, title, w, h) {
                var div = document.createElement('div');
                div.className = 'chart';
                var p = document.createElement('p');
                p.className = 'chart-title';
                p.textContent = title;
                div.appendChild(p);
                parent.appendChild(div);
                return el('svg', {width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img'}, div);
              }
              function histogram(parent, model, batch, color) {
                var W = 420, H = 220, L = 40, B = 30, T = 10, R = 10;
                var title = 'Latency histogram' + (batch.batch === null ? '' : ', batch ' + batch.batch)
                  + ' (' + batch.iterations + ' runs)';
                var svg = box(parent, title, W, H);
                var h = batch.histogram, counts = h.counts, max = Math.max.apply(null, counts);
                var bw = (W - L - R) / counts.length;
                el('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#1d2433'}, svg);
                for (var i = 0; i < counts.length; i++) {
                  var bh = max === 0 ? 0 : (H - B - T) * counts[i] / max;
                  var r = el('rect', {'class': 'hist-bar', x: L + i * bw + 1, y: H - B - bh,
                    width: Math.max(1, bw - 2), height: bh, fill: color}, svg);
                  var lo = h.start_ms + i * h.bin_ms;
                  tip(r, fmt(lo) + '-' + fmt(lo + h.bin_ms) + ' ms: ' + counts[i] + ' runs');
                }
                var end = h.start_ms + h.bin_ms * counts.length;
                label(svg, L, H - B + 14, fmt(h.start_ms) + ' ms');
                label(svg, W - R, H - B + 14, fmt(end) + ' ms', 'end');
                label(svg, L - 4, T + 10, String(max), 'end');
                var lat = batch.latency_ms;
                var x50 = L + (W - L - R) * (h.bin_ms === 0 ? 0.5 : (lat.p50 - h.start_ms) / (end - h.start_ms));
                var med = el('line', {'class': 'p50-line', x1: x50, y1: T, x2: x50, y2: H - B,
                  stroke: '#1d2433', 'stroke-dasharray': '4 3'}, svg);
                tip(med, 'p50 ' + fmt(lat.p50) + ' ms');
                label(svg, Math.min(x50 + 4, W - 60), T + 22, 'p50 ' + fmt(lat.p50));
              }
              function opBars(parent, ops, color) {
                var types = ops.by_op_type.slice(0, 10);
                var W = 460, row = 20, L = 150, R = 70, H = types.length * row + 10;
                var svg = box(parent, 'Time per operator type (ORT profiler, ' + ops.runs + ' runs)', W, H);
                var max = types.length ? types[0].share : 1;
                types.forEach(function (t, i) {
                  var y = 5 + i * row;
                  label(svg, L - 6, y + 13, t.op_type, 'end');
                  var w = max === 0 ? 0 : (W - L - R) * t.share / max;
                  var r = el('rect', {'class': 'op-bar', x: L, y: y + 2, width: Math.max(1, w), height: row - 6,
                    fill: color}, svg);
                  tip(r, t.op_type + ': ' + fmt(t.ms_per_run) + ' ms per run, ' + t.nodes + ' nodes');
                  label(svg, L + w + 4, y + 13, (100 * t.share).toFixed(1) + '%');
                });
              }
              function scaling(parent, models) {
                var W = 520, H = 260, L = 60, B = 34, T = 12, R = 120;
                var batched = models.some(function (m) { return m.batches.length > 1; });
                var svg = el('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img'}, parent);
                var maxT = 0;
                models.forEach(function (m) { m.batches.forEach(function (b) {
                  maxT = Math.max(maxT, b.throughput_per_s); }); });
                el('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#1d2433'}, svg);
                el('line', {x1: L, y1: T, x2: L, y2: H - B, stroke: '#1d2433'}, svg);
                label(svg, L - 4, T + 8, fmt(maxT), 'end');
                label(svg, L - 4, H - B, '0', 'end');
                label(svg, 12, T + 30, 'items/s');
                function y(v) { return H - B - (H - B - T) * (maxT === 0 ? 0 : v / maxT); }
                if (!batched) {
                  var bw = (W - L - R) / models.length;
                  models.forEach(function (m, i) {
                    var b = m.batches[0];
                    var barW = Math.min(80, Math.max(2, bw - 16));
                    var r = el('rect', {'class': 'throughput-bar', x: L + i * bw + (bw - barW) / 2,
                      y: y(b.throughput_per_s), width: barW, height: H - B - y(b.throughput_per_s),
                      fill: COLORS[i % COLORS.length]}, svg);
                    tip(r, m.name + ': ' + fmt(b.throughput_per_s) + ' items/s');
                    label(svg, L + i * bw + bw / 2, H - B + 14, m.name, 'middle');
                  });
                  return;
                }
                var sizes = [];
                models.forEach(function (m) { m.batches.forEach(function (b) {
                  if (sizes.indexOf(b.batch) < 0) { sizes.push(b.batch); } }); });
                sizes.sort(function (a, b) { return a - b; });
                function x(batch) {
                  var i = sizes.indexOf(batch);
                  return sizes.length === 1 ? (L + W - R) / 2 : L + 10 + (W - L - R - 20) * i / (sizes.length - 1);
                }
                sizes.forEach(function (s) { label(svg, x(s), H - B + 14, String(s), 'middle'); });
                label(svg, (L + W - R) / 2, H - 4, 'batch size', 'middle');
                models.forEach(function (m, i) {
                  var color = COLORS[i % COLORS.length];
                  var d = m.batches.map(function (b, j) {
                    return (j === 0 ? 'M' : 'L') + x(b.batch).toFixed(1) + ' ' + y(b.throughput_per_s).toFixed(1);
                  }).join(' ');
                  el('path', {'class': 'scaling-line', d: d, fill: 'none', stroke: color, 'stroke-width': 2}, svg);
                  m.batches.forEach(function (b) {
                    var c = el('circle', {'class': 'scaling-point', cx: x(b.batch), cy: y(b.throughput_per_s), r: 4,
                      fill: color}, svg);
                    tip(c, m.name + ', batch ' + b.batch + ': ' + fmt(b.throughput_per_s) + ' items/s');
                  });
                  label(svg, W - R + 8, T + 14 + 16 * i, m.name).setAttribute('fill', color);
                });
              }
              var models = data.models;
              scaling(document.getElementById('scaling-chart'), models);
              var section = document.getElementById('models');
              models.forEach(function (m, i) {
                var color = COLORS[i % COLORS.length];
                var h2 = document.createElement('h2');
                h2.textContent = m.name + ' (' + m.providers.join(', ') + ')';
                section.appendChild(h2);
                var p = document.createElement('p');
                p.className = 'meta';
                p.textContent = 'session creation ' + fmt(m.session_create_ms) + ' ms, first inference '
                  + fmt(m.first_inference_ms) + ' ms, p50 ' + fmt(m.latency_ms.p50) + ' ms'
                  + (m.gflops === null ? '' : ', ' + m.gflops.toFixed(2) + ' GFLOP/s')
                  + (m.memory.peak_rss_bytes === null ? '' : ', peak RSS '
                    + (m.memory.peak_rss_bytes / 1e6).toFixed(1) + ' MB');
                section.appendChild(p);
                m.warnings.forEach(function (w) {
                  var wp = document.createElement('p');
                  wp.className = 'warn';
                  wp.textContent = w;
                  section.appendChild(wp);
                });
                var charts = document.createElement('div');
                charts.className = 'charts';
                section.appendChild(charts);
                m.batches.forEach(function (b) { histogram(charts, m, b, color); });
                if (m.ops) { opBars(charts, m.ops, color); }
              });
              document.body.setAttribute('data-rendered', 'true');
            })();""";
}
