package io.mconv.agent.quantize.advisor;

import io.mconv.ir.Shape;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code mconv quantize --advise} was asked.
 *
 * @param maxAccuracyDrop   the largest accuracy drop ({@link PlanAccuracy}) a recommended plan may have
 * @param calibrationDir    calibration samples for static int8 (and the evaluation inputs); null for seeded random
 *                          N(0,1) inputs, with a warning
 * @param inputShapes       sizes for symbolic input dimensions
 * @param evaluationSamples seeded random evaluation samples when there is no calibration folder
 * @param latencyRounds     interleaved timed rounds per plan (median)
 * @param threads           ORT intra-op threads, the same for every plan; 0 lets ORT choose (one per core)
 * @param sensitivityLayers the most layers the sensitivity scan quantizes one at a time (0 turns it off)
 * @param seed              seed of the random calibration and evaluation inputs
 */
public record AdvisorOptions(double maxAccuracyDrop, Path calibrationDir, Map<String, Shape> inputShapes,
                             int evaluationSamples, int latencyRounds, int threads, int sensitivityLayers, long seed) {

    public AdvisorOptions {
        inputShapes = Map.copyOf(inputShapes);
        if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop < 1)) {
            throw new IllegalArgumentException("the accuracy drop limit must be in [0, 1): " + maxAccuracyDrop);
        }
        if (evaluationSamples < 1 || latencyRounds < 0 || threads < 0 || sensitivityLayers < 0) {
            throw new IllegalArgumentException("evaluation samples must be >= 1, latency rounds, threads "
                    + "and sensitivity layers >= 0");
        }
    }

    /** Drop 0.01, random data, 4 evaluation samples, 10 timed rounds, 1 thread, 12 layers scanned, seed 0. */
    public static AdvisorOptions defaults() {
        return new AdvisorOptions(0.01, null, Map.of(), 4, 10, 1, 12, 0);
    }

    public AdvisorOptions withMaxAccuracyDrop(double drop) {
        return new AdvisorOptions(drop, calibrationDir, inputShapes, evaluationSamples, latencyRounds, threads,
                sensitivityLayers, seed);
    }

    public AdvisorOptions withCalibration(Path dir) {
        return new AdvisorOptions(maxAccuracyDrop, dir, inputShapes, evaluationSamples, latencyRounds, threads,
                sensitivityLayers, seed);
    }

    public AdvisorOptions withInputShapes(Map<String, Shape> shapes) {
        return new AdvisorOptions(maxAccuracyDrop, calibrationDir, shapes, evaluationSamples, latencyRounds, threads,
                sensitivityLayers, seed);
    }

    public AdvisorOptions withMeasurement(int samples, int rounds, int threadCount) {
        return new AdvisorOptions(maxAccuracyDrop, calibrationDir, inputShapes, samples, rounds, threadCount,
                sensitivityLayers, seed);
    }

    public AdvisorOptions withSensitivityLayers(int layers) {
        return new AdvisorOptions(maxAccuracyDrop, calibrationDir, inputShapes, evaluationSamples, latencyRounds,
                threads, layers, seed);
    }
}
