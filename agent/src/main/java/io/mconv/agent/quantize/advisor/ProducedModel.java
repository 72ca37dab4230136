package io.mconv.agent.quantize.advisor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A plan's model file, ready to measure.
 *
 * @param file      the model (the source itself for the float plan)
 * @param bytes     its size, external data included
 * @param rewrites  nodes the plan's passes rewrote (0: the plan changed nothing in this model)
 * @param opCounts  op histogram of the written model ("com.microsoft::MatMulNBits" for other domains)
 * @param notes     what the passes left alone and why, and warnings such as random calibration data
 */
public record ProducedModel(Path file, long bytes, int rewrites, Map<String, Integer> opCounts, List<String> notes) {

    public ProducedModel {
        opCounts = Map.copyOf(opCounts);
        notes = List.copyOf(notes);
    }
}
