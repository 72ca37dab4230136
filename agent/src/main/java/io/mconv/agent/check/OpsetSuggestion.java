package io.mconv.agent.check;

import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchema;
import io.mconv.schema.OpSchemaRegistry;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the nearest opset at which a standard operator the target cannot run at the model's opset would have a
 * kernel (same input types), so the report can suggest {@code mconv convert MODEL --to onnx --opset N}, which
 * {@link OpsetConverter} carries out (targets 7 and up). Newer opsets are preferred: converting up is the common
 * direction and loses nothing.
 */
final class OpsetSuggestion {

    private OpsetSuggestion() {
    }

    static Optional<Integer> find(CapabilityTable table, OpSchemaRegistry registry, String opType, int modelOpset,
                                  Map<String, String> types) {
        int[] range = table.opsets().get(OpSchemaRegistry.ONNX_DOMAIN);
        if (range == null) {
            return Optional.empty();
        }
        int max = Math.min(range[1], registry.maxOpset(OpSchemaRegistry.ONNX_DOMAIN));
        for (int distance = 1; distance <= max; distance++) {
            for (int candidate : new int[] {modelOpset + distance, modelOpset - distance}) {
                // Only opsets 'mconv convert --opset' can produce are worth suggesting.
                if (candidate < Math.max(OpsetConverter.MIN_TARGET, range[0]) || candidate > max) {
                    continue;
                }
                Optional<OpSchema> schema = registry.get(OpSchemaRegistry.ONNX_DOMAIN, opType, candidate);
                if (schema.isEmpty() || schema.get().deprecated()) {
                    continue;
                }
                // Types stay what they are after conversion; constraints renamed between versions are not judged.
                Map<String, String> kept = new java.util.LinkedHashMap<>(types);
                kept.keySet().retainAll(schema.get().typeConstraints().keySet());
                if (NodeSupport.check(table, OpSchemaRegistry.ONNX_DOMAIN, opType, schema.get().sinceVersion(), kept)
                        .supported()) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
