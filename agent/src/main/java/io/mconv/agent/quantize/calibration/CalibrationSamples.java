package io.mconv.agent.quantize.calibration;

import io.mconv.ir.Tensor;

import java.util.List;
import java.util.Map;

/**
 * The inputs calibration runs the model on: one feed map per sample.
 *
 * @param samples  feeds by input name, one map per sample
 * @param source   where they came from, for the report ("folder calib/ (32 samples)", "32 seeded random ...")
 * @param warnings what the user should know, such as that random data calibrates worse than real data
 */
public record CalibrationSamples(List<Map<String, Tensor>> samples, String source, List<String> warnings) {

    public CalibrationSamples {
        samples = List.copyOf(samples);
        warnings = List.copyOf(warnings);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one sample");
        }
    }

    public int size() {
        return samples.size();
    }
}
