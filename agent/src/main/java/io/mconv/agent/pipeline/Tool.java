package io.mconv.agent.pipeline;

import java.io.IOException;
import java.util.Map;

/**
 * One step of a conversion: exporter, optimizer, quantizer, validator, profiler. A tool reads the artifact it is
 * given and, when it transforms the model, writes its own artifact into the folder the runner hands it.
 *
 * <p>{@link #options()} is everything that changes what the tool produces: it is printed by {@code --dry-run}, it
 * goes into the provenance, and it is part of the cache key, so two runs with equal options share the result.
 */
public interface Tool {

    /** Short and unique within a plan: {@code export}, {@code optimize}, {@code quantize}. */
    String name();

    /** One line for the plan: what the step does. */
    String description();

    StepKind category();

    /** The options that determine the step's result, as text, in a stable order. */
    Map<String, String> options();

    /** Whether the step writes a new model (export, optimize, quantize) or only measures one (validate, profile). */
    default boolean producesModel() {
        return category() == StepKind.EXPORT || category() == StepKind.OPTIMIZE || category() == StepKind.QUANTIZE;
    }

    /**
     * @param input   the model this step works on and what came before
     * @param context the source, the folder to write into, the listener
     * @return figures and diagnostics; {@code artifact} set when {@link #producesModel()}
     */
    StepOutcome run(StepInput input, StepContext context) throws IOException;
}
