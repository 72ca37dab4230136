package io.mconv.agent.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * What a step works on.
 *
 * @param model    the current model file: the source for the first step, then the last step's artifact
 * @param key      the cache key of that model (the source's content hash, or the key of the step that made it)
 * @param baseline the float ONNX model the chain started from (the export, or an ONNX source), for comparisons;
 *                 null before the export
 * @param earlier  the results of the steps already run, in order
 */
public record StepInput(Path model, String key, Path baseline, List<StepResult> earlier) {

    public StepInput {
        earlier = List.copyOf(earlier);
    }
}
