package io.mconv.agent.quantize;

import io.mconv.agent.quantize.calibration.CalibrationMethod;
import io.mconv.ir.Shape;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.calibrated.QuantType;
import io.mconv.passes.quantize.calibrated.StaticQuantConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code mconv quantize --mode static} was asked for.
 *
 * @param method               calibration method
 * @param percentile           for {@link CalibrationMethod#PERCENTILE}, e.g. 99.999
 * @param perChannel           per-channel weight scales
 * @param symmetricActivations activations with zero point at the middle of the type
 * @param symmetricWeights     int8 weights in [-127, 127], zero point 0
 * @param activationType       uint8 (U8S8) or int8 (S8S8)
 * @param weightType           int8 normally
 * @param reduceRange          7-bit weights
 * @param format               QDQ or QOperator
 * @param target               portable (standard ops) or ort (com.microsoft QLinearAdd etc. in QOperator form)
 * @param calibrationDir       folder of calibration samples, or null for seeded random inputs
 * @param randomSamples        how many random samples when there is no folder
 * @param seed                 seed of the random calibration and evaluation inputs
 * @param exclude              node names or op types kept in float
 * @param inputShapes          shapes for symbolic input dimensions
 * @param evaluationSamples    how many seeded random inputs (a different seed) to compare on when there is no folder
 * @param latencyRuns          timed runs per model for the latency ratio (0 skips latency)
 */
public record StaticQuantizeOptions(CalibrationMethod method, double percentile, boolean perChannel,
                                    boolean symmetricActivations, boolean symmetricWeights, QuantType activationType,
                                    QuantType weightType, boolean reduceRange, QuantFormat format, Target target,
                                    Path calibrationDir, int randomSamples, long seed, Set<String> exclude,
                                    Map<String, Shape> inputShapes, int evaluationSamples, int latencyRuns) {

    /** QDQ (QuantizeLinear/DequantizeLinear around float ops) or QOperator (QLinearConv, QLinearMatMul...). */
    public enum QuantFormat {
        QDQ, QOPERATOR;

        public static QuantFormat parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "qdq" -> QDQ;
                case "qoperator", "qop" -> QOPERATOR;
                default -> throw new IllegalArgumentException("unknown format '" + s + "' (qdq, qoperator)");
            };
        }
    }

    public StaticQuantizeOptions {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(target, "target");
        exclude = Set.copyOf(exclude);
        inputShapes = Map.copyOf(inputShapes);
        if (randomSamples < 1 || evaluationSamples < 1 || latencyRuns < 0) {
            throw new IllegalArgumentException("randomSamples and evaluationSamples must be >= 1, latencyRuns >= 0");
        }
    }

    /** MinMax, U8S8 per-channel QDQ, 16 random samples (seed 0), 4 evaluation samples, 20 timed runs. */
    public static StaticQuantizeOptions defaults() {
        return new StaticQuantizeOptions(CalibrationMethod.MINMAX, 99.999, true, false, true, QuantType.UINT8,
                QuantType.INT8, false, QuantFormat.QDQ, Target.PORTABLE, null, 16, 0, Set.of(), Map.of(), 4, 20);
    }

    public StaticQuantizeOptions withMethod(CalibrationMethod m, double p) {
        return new StaticQuantizeOptions(m, p, perChannel, symmetricActivations, symmetricWeights, activationType,
                weightType, reduceRange, format, target, calibrationDir, randomSamples, seed, exclude, inputShapes,
                evaluationSamples, latencyRuns);
    }

    public StaticQuantizeOptions withFormat(QuantFormat f, Target t) {
        return new StaticQuantizeOptions(method, percentile, perChannel, symmetricActivations, symmetricWeights,
                activationType, weightType, reduceRange, f, t, calibrationDir, randomSamples, seed, exclude,
                inputShapes, evaluationSamples, latencyRuns);
    }

    public StaticQuantizeOptions withCalibration(Path dir, int samples, long s) {
        return new StaticQuantizeOptions(method, percentile, perChannel, symmetricActivations, symmetricWeights,
                activationType, weightType, reduceRange, format, target, dir, samples, s, exclude, inputShapes,
                evaluationSamples, latencyRuns);
    }

    public StaticQuantizeOptions withEvaluation(int samples, int runs) {
        return new StaticQuantizeOptions(method, percentile, perChannel, symmetricActivations, symmetricWeights,
                activationType, weightType, reduceRange, format, target, calibrationDir, randomSamples, seed, exclude,
                inputShapes, samples, runs);
    }

    public StaticQuantizeOptions withQuantization(boolean perCh, boolean symAct, QuantType act, QuantType w,
                                                  boolean reduce) {
        return new StaticQuantizeOptions(method, percentile, perCh, symAct, symmetricWeights, act, w, reduce, format,
                target, calibrationDir, randomSamples, seed, exclude, inputShapes, evaluationSamples, latencyRuns);
    }

    public StaticQuantizeOptions withExclude(Set<String> names) {
        return new StaticQuantizeOptions(method, percentile, perChannel, symmetricActivations, symmetricWeights,
                activationType, weightType, reduceRange, format, target, calibrationDir, randomSamples, seed, names,
                inputShapes, evaluationSamples, latencyRuns);
    }

    /** The pass configuration these options describe. */
    public StaticQuantConfig passConfig() {
        return new StaticQuantConfig(activationType, weightType, perChannel, symmetricActivations, symmetricWeights,
                reduceRange, exclude);
    }
}
