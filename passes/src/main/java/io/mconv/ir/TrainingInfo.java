package io.mconv.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training information carried by a model: an initialization graph, an algorithm (one training step) graph, and
 * which initializers their outputs update. mconv keeps it so files round-trip; it runs no training.
 */
public record TrainingInfo(Graph initialization, Graph algorithm, Map<String, String> initializationBinding,
                           Map<String, String> updateBinding) {

    public TrainingInfo {
        initializationBinding = Collections.unmodifiableMap(new LinkedHashMap<>(initializationBinding));
        updateBinding = Collections.unmodifiableMap(new LinkedHashMap<>(updateBinding));
    }
}
