package io.mconv.agent.quantize.advisor;

import java.util.List;

/**
 * Per-layer sensitivity, worst first.
 *
 * @param layers        the scanned layers, largest accuracy drop first
 * @param quantizable   how many layers dynamic int8 could quantize
 * @param note          what the scan left out and why ("scanned the 12 largest of 40 layers by weight bytes"), or
 *                      empty
 */
public record SensitivityReport(List<LayerSensitivity> layers, int quantizable, String note) {

    public SensitivityReport {
        layers = List.copyOf(layers);
    }

    public static SensitivityReport skipped(int quantizable, String why) {
        return new SensitivityReport(List.of(), quantizable, why);
    }
}
