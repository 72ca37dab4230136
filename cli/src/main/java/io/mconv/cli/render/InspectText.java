package io.mconv.cli.render;

import io.mconv.agent.inspect.InspectReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable {@code mconv inspect} report. */
public final class InspectText {

    private InspectText() {
    }

    public static void render(InspectReport r, PrintWriter out) {
        row(out, "Model", r.file() + " (" + Units.bytes(r.fileBytes()) + ")");
        List<String> opsets = new ArrayList<>();
        r.opsets().forEach((d, v) -> opsets.add((d.isEmpty() ? "ai.onnx" : d) + " " + v));
        row(out, "Format", "IR version " + (r.irVersion() == null ? "?" : r.irVersion()) + ", opsets "
                + String.join(", ", opsets));
        if (r.producerName() != null || r.producerVersion() != null) {
            row(out, "Producer", (nz(r.producerName()) + " " + nz(r.producerVersion())).trim());
        }
        row(out, "Parameters", Units.count(r.parameters()) + String.format(Locale.ROOT, " (%,d)", r.parameters()));
        row(out, "Weights", Units.bytes(r.weightBytes()) + " (inline " + Units.bytes(r.inlineWeightBytes())
                + ", external " + Units.bytes(r.externalWeightBytes()) + ")");
        row(out, "Nodes", r.nodes() + (r.nodesInSubgraphs() > 0 ? " (+" + r.nodesInSubgraphs() + " in subgraphs)" : "")
                + (r.functions() > 0 ? ", " + r.functions() + " local functions" : ""));
        InspectReport.Macs m = r.macs();
        StringBuilder macs = new StringBuilder(Units.count(m.total()));
        if (!m.byOpType().isEmpty()) {
            List<String> parts = new ArrayList<>();
            m.byOpType().forEach((op, n) -> parts.add(op + " " + Units.count(n)));
            macs.append(" (").append(String.join(", ", parts)).append(")");
        }
        if (m.pooling() > 0) {
            macs.append("; pooling ").append(Units.count(m.pooling()));
        }
        if (m.assumedBatchOne()) {
            macs.append("; symbolic batch counted as 1");
        }
        if (m.unknownNodes() > 0) {
            macs.append("; ").append(m.unknownNodes()).append(" nodes of unknown shape not counted");
        }
        row(out, "MACs", macs.toString());
        out.println();
        out.println("Inputs");
        ports(out, r.inputs());
        out.println("Outputs");
        ports(out, r.outputs());
        out.println();
        out.println("Operators");
        int width = r.opHistogram().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Integer> e : r.opHistogram().entrySet()) {
            out.printf(Locale.ROOT, "  %-" + width + "s %6d%n", e.getKey(), e.getValue());
        }
        if (!r.largestInitializers().isEmpty()) {
            out.println();
            out.println("Largest initializers");
            int w = r.largestInitializers().stream().mapToInt(i -> i.name().length()).max().orElse(0);
            for (InspectReport.Initializer i : r.largestInitializers()) {
                out.printf(Locale.ROOT, "  %-" + w + "s %-8s %-16s %10s%s%n", i.name(), i.type(), i.shape(),
                        Units.bytes(i.bytes()), i.external() ? "  external" : "");
            }
        }
        if (!r.externalFiles().isEmpty()) {
            out.println();
            out.println("External data files");
            for (InspectReport.ExternalFile f : r.externalFiles()) {
                out.printf(Locale.ROOT, "  %s  %s in %d tensors%n", f.location(), Units.bytes(f.bytes()), f.tensors());
            }
        }
        Map<String, Object> provenance = ProvenanceView.of(r.metadata());
        if (r.metadata().size() > (provenance == null ? 0 : 1)) {
            out.println();
            out.println("Metadata");
            r.metadata().forEach((k, v) -> {
                if (provenance == null || !k.equals(io.mconv.agent.pipeline.Provenance.KEY)) {
                    out.printf(Locale.ROOT, "  %s = %s%n", k, v);
                }
            });
        }
        if (provenance != null) {
            ProvenanceView.text(provenance, out);
        }
        out.flush();
    }

    private static void ports(PrintWriter out, List<InspectReport.Port> ports) {
        int w = ports.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (InspectReport.Port p : ports) {
            out.printf(Locale.ROOT, "  %-" + w + "s  %-8s %s%n", p.name(), p.type(), p.shape());
        }
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf(Locale.ROOT, "%-11s %s%n", label, value);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
