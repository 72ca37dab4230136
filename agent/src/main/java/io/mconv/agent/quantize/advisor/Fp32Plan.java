package io.mconv.agent.quantize.advisor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No quantization: the float model as it is, the baseline every plan is compared with.
 *
 * @param sourceBytes the model's size, external data included
 * @param opCounts    its op histogram
 */
public record Fp32Plan(long sourceBytes, Map<String, Integer> opCounts) implements PlanCandidate {

    public Fp32Plan {
        opCounts = Map.copyOf(opCounts);
    }

    @Override
    public String id() {
        return "fp32";
    }

    @Override
    public String description() {
        return "float32, no quantization";
    }

    @Override
    public PlanKind kind() {
        return PlanKind.FP32;
    }

    @Override
    public ProducedModel produce(Path source, Path workDir) {
        return new ProducedModel(source, sourceBytes, 0, opCounts, List.of());
    }

    @Override
    public PlanCandidate excluding(Set<String> nodes, String suffix) {
        return this;
    }
}
