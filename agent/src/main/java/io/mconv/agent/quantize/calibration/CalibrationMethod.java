package io.mconv.agent.quantize.calibration;

import java.util.Locale;

/** How calibrated ranges are chosen: {@code minmax}, {@code percentile} or {@code entropy}. */
public enum CalibrationMethod {
    MINMAX, PERCENTILE, ENTROPY;

    /** The calibrator; {@code percentile} is only used by PERCENTILE, {@code symmetric} by PERCENTILE. */
    public Calibrator calibrator(double percentile, boolean symmetric) {
        return switch (this) {
            case MINMAX -> new MinMaxCalibrator();
            case PERCENTILE -> new PercentileCalibrator(percentile, symmetric);
            case ENTROPY -> new EntropyCalibrator();
        };
    }

    public static CalibrationMethod parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace("-", "")) {
            case "minmax" -> MINMAX;
            case "percentile" -> PERCENTILE;
            case "entropy", "kl" -> ENTROPY;
            default -> throw new IllegalArgumentException("unknown calibration method '" + s
                    + "' (minmax, percentile, entropy)");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
