package io.mconv.agent.quantize.advisor;

import java.nio.file.Path;
import java.util.List;

/**
 * The advisor's answer: what the model and the CPU are, how sensitive each layer is, every plan measured with its
 * verdict, and the pick.
 *
 * @param evaluationSource where the evaluation (and calibration) inputs came from
 * @param warnings         what the user should know about the measurement (random data, symbolic dimensions)
 */
public record Advice(Path model, CpuFeatures cpu, ModelProfile profile, SensitivityReport sensitivity,
                     List<PlanVerdict> plans, double maxAccuracyDrop, int threads, int latencyRounds,
                     String evaluationSource, List<String> warnings) {

    public Advice {
        plans = List.copyOf(plans);
        warnings = List.copyOf(warnings);
    }

    public PlanVerdict recommended() {
        return plans.stream().filter(PlanVerdict::recommended).findFirst().orElseThrow();
    }
}
