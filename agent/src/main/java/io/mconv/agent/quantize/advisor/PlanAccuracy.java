package io.mconv.agent.quantize.advisor;

/**
 * A plan's outputs against the float model's over the evaluation set (worst output wins).
 *
 * <p><b>Accuracy drop</b>, the figure {@code --max-accuracy-drop} bounds: for every float output, 1 − cosine
 * similarity of all its evaluation values concatenated; for a classifier-shaped output ([N, classes], classes &gt; 1)
 * the larger of that and 1 − top-1 agreement (the share of rows whose arg-max class changed), because a classifier's
 * users count changed labels, not angles. The plan's drop is the largest over its outputs. 0.01 means the outputs
 * keep a cosine of 0.99 and at most 1% of the predicted classes change.
 *
 * @param cosine        the lowest cosine over the outputs
 * @param maxAbsError   the largest absolute difference over all outputs
 * @param top1Agreement the lowest top-1 agreement over classifier-shaped outputs; NaN when there are none
 * @param drop          the accuracy drop defined above
 */
public record PlanAccuracy(double cosine, double maxAbsError, double top1Agreement, double drop) {

    /** The float model measured against itself. */
    public static final PlanAccuracy EXACT = new PlanAccuracy(1, 0, Double.NaN, 0);

    public boolean hasTop1() {
        return !Double.isNaN(top1Agreement);
    }
}
