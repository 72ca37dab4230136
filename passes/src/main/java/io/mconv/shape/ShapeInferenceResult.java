package io.mconv.shape;

import java.util.List;
import java.util.Map;

/**
 * What one run of {@link ShapeInference} did.
 *
 * @param valuesTyped       node outputs that got a type or had unknown dimensions refined
 * @param valuesUnknown     names of node outputs still without a tensor shape of known rank
 * @param uninferredByOp    per op type (domain-qualified when not the default domain), how many nodes had at
 *                          least one output the rules could not infer
 * @param warnings          inconsistencies met on the way (incompatible shapes, declared types that disagree)
 */
public record ShapeInferenceResult(int valuesTyped, List<String> valuesUnknown, Map<String, Integer> uninferredByOp,
                                   List<String> warnings) {

    public ShapeInferenceResult {
        valuesUnknown = List.copyOf(valuesUnknown);
        uninferredByOp = Map.copyOf(uninferredByOp);
        warnings = List.copyOf(warnings);
    }

    /** Total nodes with an output left uninferred. */
    public int uninferredNodes() {
        return uninferredByOp.values().stream().mapToInt(Integer::intValue).sum();
    }
}
