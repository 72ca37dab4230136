package io.mconv.agent.pipeline;

/**
 * A finished conversion: the plan, what each step did and the report. When a constraint was missed nothing was
 * written and {@code report.output()} is null.
 */
public record ConversionOutcome(Plan plan, PlanRun run, ConversionReport report) {

    public boolean written() {
        return report.output() != null;
    }
}
