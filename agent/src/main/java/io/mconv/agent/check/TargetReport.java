package io.mconv.agent.check;

import java.util.List;

/**
 * The verdict for one target with its reasons.
 *
 * @param target       the target
 * @param describes    the source document and version of the target's capability table
 * @param verdict      runs / runs with CPU fallback / won't run
 * @param findings     every finding, blocking ones first
 * @param fallbackNodes names of the nodes that would run on the CPU provider instead (empty unless the verdict is
 *                     {@link Verdict#RUNS_WITH_CPU_FALLBACK})
 * @param notes        the table's caveats
 * @param verification what {@code --verify} saw, or null when not asked
 */
public record TargetReport(CheckTarget target, String describes, Verdict verdict, List<Finding> findings,
                           List<String> fallbackNodes, List<String> notes, Verification verification) {

    public TargetReport {
        findings = List.copyOf(findings);
        fallbackNodes = List.copyOf(fallbackNodes);
        notes = List.copyOf(notes);
    }

    public TargetReport withVerification(Verification v) {
        return new TargetReport(target, describes, verdict, findings, fallbackNodes, notes, v);
    }

    /** True, false, or null (not verified or not verifiable here) for "the prediction matched what happened". */
    public Boolean predictionConfirmed() {
        if (verification == null || verification.ran() == null) {
            return null;
        }
        return verdict.runs() == verification.ran();
    }
}
