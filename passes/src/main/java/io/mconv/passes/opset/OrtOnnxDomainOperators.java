package io.mconv.passes.opset;

import io.mconv.schema.OpSchema;
import io.mconv.schema.OpSchemaRegistry;
import java.util.Map;
import java.util.Optional;

/**
 * Operators that ONNX Runtime (1.29) runs in the ONNX domain at opsets below the one that standardized them, because
 * it registers its contrib kernel there as well: LayerNormalization for opsets 1 to 16 (the contrib registration
 * predates LayerNormalization-17 and computes the same thing with the same code). ONNX itself defines no such
 * operator at those opsets, so a model using one is valid for ONNX Runtime only; the opset converter keeps such a
 * node for the {@link io.mconv.passes.Target#ORT ORT} target and holds it to the standard definition it stands for.
 * OrtLayerNormalizationBelow17Test proves the registration against the ORT in use. {@code mconv check} reads such a
 * node's types by the same definition.
 */
public final class OrtOnnxDomainOperators {

    /** Operator → the opset that standardized it; ORT runs it at every opset below as well. */
    private static final Map<String, Integer> STANDARDIZED_AT = Map.of("LayerNormalization", 17);

    private OrtOnnxDomainOperators() {
    }

    /**
     * The standard definition that a default-domain {@code opType} at {@code opset} stands for in ONNX Runtime when
     * ONNX has none there, or empty when ORT registers no such kernel (or ONNX does define the operator there).
     */
    public static Optional<OpSchema> definitionAt(OpSchemaRegistry schemas, String opType, int opset) {
        Integer standardized = STANDARDIZED_AT.get(opType);
        if (standardized == null || opset >= standardized) {
            return Optional.empty();
        }
        return schemas.get("", opType, standardized);
    }
}
