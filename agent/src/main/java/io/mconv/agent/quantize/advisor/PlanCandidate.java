package io.mconv.agent.quantize.advisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A way to quantize a model (or not), before it is measured: {@link PlanEvaluator} turns candidates into
 * {@link MeasuredPlan}s. The conversion agent builds its own candidates the same way.
 */
public sealed interface PlanCandidate permits Fp32Plan, QuantizerPlan, StaticPlan {

    /** A short stable identifier for tables and JSON ("dynamic-int8-reduce-range"). */
    String id();

    /** One line for the user ("dynamic int8 qoperator per-tensor symmetric reduce-range"). */
    String description();

    PlanKind kind();

    /** Writes this plan's model of {@code source} into {@code workDir}. */
    ProducedModel produce(Path source, Path workDir) throws IOException;

    /** The same plan keeping the given nodes in float; {@code suffix} extends the id. */
    PlanCandidate excluding(Set<String> nodes, String suffix);
}
