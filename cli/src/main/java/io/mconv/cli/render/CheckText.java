package io.mconv.cli.render;

import io.mconv.agent.check.CheckReport;
import io.mconv.agent.check.Finding;
import io.mconv.agent.check.TargetReport;
import io.mconv.agent.check.Verification;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable {@code mconv check} report: one block per target, verdict first, then the reasons. */
public final class CheckText {

    /** Per target, at most this many findings are printed; JSON has all of them. */
    private static final int MAX_FINDINGS = 20;

    private CheckText() {
    }

    public static void render(CheckReport r, PrintWriter out) {
        out.printf("%s: IR version %d, opsets %s, %d nodes%n", r.model(), r.irVersion(), opsets(r.opsets()),
                r.nodes());
        for (TargetReport t : r.targets()) {
            out.println();
            out.printf("%-9s %s%n", t.target().userName(), t.verdict().words().toUpperCase(java.util.Locale.ROOT));
            out.printf("          table: %s%n", t.describes());
            if (!t.fallbackNodes().isEmpty()) {
                out.printf("          on the CPU provider: %s%n", String.join(", ", t.fallbackNodes()));
            }
            List<Finding> fs = t.findings();
            for (Finding f : fs.subList(0, Math.min(MAX_FINDINGS, fs.size()))) {
                out.printf("  %-10s %s%n", f.severity().id(), describe(f));
                if (f.suggestion() != null) {
                    out.printf("             fix: %s%n", f.suggestion());
                }
            }
            if (fs.size() > MAX_FINDINGS) {
                out.printf("  ... and %d more findings (--json lists them all)%n", fs.size() - MAX_FINDINGS);
            }
            if (t.verification() != null) {
                out.printf("  verify:    %s%n", verification(t));
            }
        }
        out.flush();
    }

    private static String describe(Finding f) {
        StringBuilder b = new StringBuilder();
        b.append('[').append(f.rule().id()).append("] ");
        if (f.node() != null) {
            b.append(f.node()).append(" (").append(f.opType()).append(", opset ").append(f.opset()).append("): ");
        }
        return b.append(f.message()).toString();
    }

    private static String verification(TargetReport t) {
        Verification v = t.verification();
        String what = switch (v.status()) {
            case RAN -> "session created and ran once on random inputs";
            case SESSION_ONLY -> v.detail();
            case RUN_FAILED -> "session created, the run failed: " + v.detail();
            case SESSION_FAILED -> "session creation failed: " + v.detail();
            case NOT_AVAILABLE -> v.detail();
        };
        Boolean confirmed = t.predictionConfirmed();
        String agreement = confirmed == null ? "" : confirmed ? " (prediction confirmed)" : " (PREDICTION WRONG)";
        return what + (v.millis() > 0 ? ", " + v.millis() + " ms" : "") + agreement;
    }

    private static String opsets(Map<String, Integer> opsets) {
        return opsets.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
