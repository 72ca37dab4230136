package io.mconv.agent.quantize.advisor;

/**
 * A measured plan judged against the constraint and the other plans.
 *
 * @param meetsConstraint measured, and its accuracy drop is within the limit
 * @param recommended     the advisor's pick
 * @param reason          why it was picked, or why it lost ("accuracy drop 0.031 > 0.01", "slower than fp32 ...")
 */
public record PlanVerdict(MeasuredPlan plan, boolean meetsConstraint, boolean recommended, String reason) {
}
