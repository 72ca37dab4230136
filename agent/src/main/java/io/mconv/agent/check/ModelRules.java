package io.mconv.agent.check;

import io.mconv.agent.check.Finding.Rule;
import io.mconv.agent.check.Finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules about the model as a whole: IR version and opset ranges of the runtime release, the 2 GiB protobuf
 * limit, external data, a target's memory limit, and dynamic input shapes.
 */
final class ModelRules {

    private ModelRules() {
    }

    static List<Finding> check(CapabilityTable table, ModelFacts facts, Map<String, Integer> opsets) {
        List<Finding> out = new ArrayList<>();
        if (facts.irVersion() > table.irMax() || facts.irVersion() < table.irMin()) {
            out.add(Finding.model(Rule.IR_VERSION, Severity.BLOCKS, -1, "IR version " + facts.irVersion()
                    + " is outside the range " + table.irMin() + "-" + table.irMax() + " this runtime reads", null));
        }
        for (Map.Entry<String, Integer> e : opsets.entrySet()) {
            int[] range = table.opsets().get(e.getKey());
            if (range != null && e.getValue() > range[1]) {
                String fix = e.getKey().equals("ai.onnx")
                        ? "mconv convert MODEL --to onnx --opset " + range[1] : null;
                out.add(Finding.model(Rule.OPSET_RANGE, Severity.BLOCKS, e.getValue(), "opset " + e.getKey() + " "
                        + e.getValue() + " is newer than this runtime knows (up to " + range[1] + ")", fix));
            }
        }
        if (facts.protoBytes() > ModelFacts.PROTOBUF_LIMIT) {
            out.add(Finding.model(Rule.MODEL_SIZE, Severity.BLOCKS, -1, "the .onnx file is " + facts.protoBytes()
                    + " bytes, over protobuf's 2 GiB limit; move the weights to external data", null));
        }
        if (facts.usesExternalData() && !table.externalData()) {
            out.add(Finding.model(Rule.EXTERNAL_DATA, Severity.BLOCKS, -1,
                    "the model keeps weights in external data files, which this target cannot load", null));
        }
        long total = facts.protoBytes() + facts.externalDataBytes();
        if (total > table.maxModelBytes()) {
            out.add(Finding.model(Rule.MODEL_SIZE, Severity.BLOCKS, -1, "the model is " + total
                    + " bytes with its data, over this target's limit of " + table.maxModelBytes() + " bytes", null));
        }
        if (!facts.dynamicInputs().isEmpty()) {
            String inputs = String.join(", ", facts.dynamicInputs());
            switch (table.dynamicShapes()) {
                case NEEDS_PROFILES -> out.add(Finding.model(Rule.DYNAMIC_SHAPE, Severity.WARNING, -1,
                        "dynamic input shapes (" + inputs + "): fix them with --input-shape or give optimization "
                                + "profiles (trt_profile_min_shapes/opt/max), or every new shape builds a new engine",
                        null));
                case FALLBACK_TO_CPU -> out.add(Finding.model(Rule.DYNAMIC_SHAPE, Severity.FALLS_BACK, -1,
                        "dynamic input shapes (" + inputs + "): the provider does not take nodes with dynamic "
                                + "shapes, they run on the CPU provider; fix the shapes to keep them on the target",
                        null));
                case SUPPORTED -> {
                }
            }
        }
        return out;
    }
}
