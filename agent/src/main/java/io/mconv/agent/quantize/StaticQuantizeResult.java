package io.mconv.agent.quantize;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What static quantization produced and how it measures against the float model.
 *
 * @param output            the written model
 * @param floatBytes        the source model's size (model file plus external data)
 * @param quantizedBytes    the written model's size
 * @param calibrationSource where the calibration samples came from
 * @param calibratedTensors how many tensors got a calibrated range
 * @param quantizedNodes    nodes quantized (plus activations folded) by the QDQ pass
 * @param opCounts          op histogram of the written model
 * @param outputs           agreement per output, on the evaluation inputs, quantized model run by ORT with its
 *                          graph optimizations on (what users run)
 * @param fp32LatencyMs     median ORT CPU latency of the float model (optimizations on); NaN when not measured
 * @param int8LatencyMs     the same for the quantized model
 * @param warnings          what the user should know (random calibration data, nodes left in float)
 */
public record StaticQuantizeResult(Path output, long floatBytes, long quantizedBytes, String calibrationSource,
                                   int calibratedTensors, int quantizedNodes, Map<String, Integer> opCounts,
                                   List<OutputQuality> outputs, double fp32LatencyMs, double int8LatencyMs,
                                   List<String> warnings) {

    public StaticQuantizeResult {
        opCounts = Map.copyOf(opCounts);
        outputs = List.copyOf(outputs);
        warnings = List.copyOf(warnings);
    }

    public double sizeRatio() {
        return (double) quantizedBytes / floatBytes;
    }

    /** Quantized latency over float latency: below 1 means int8 is faster. */
    public double latencyRatio() {
        return int8LatencyMs / fp32LatencyMs;
    }

    /** The lowest cosine over the outputs. */
    public double worstCosine() {
        return outputs.stream().mapToDouble(OutputQuality::cosine).min().orElse(Double.NaN);
    }
}
