package io.mconv.agent.check;

import java.util.List;

/**
 * What the model-level rules need to know about a model file, gathered once.
 *
 * @param irVersion          the model's IR version
 * @param protoBytes         size of the .onnx file itself
 * @param externalDataBytes  total size of its external data files (0 when none)
 * @param dynamicInputs      graph inputs with a symbolic or unknown dimension, as {@code name[dims]}
 */
public record ModelFacts(long irVersion, long protoBytes, long externalDataBytes, List<String> dynamicInputs) {

    /** Protobuf cannot parse a message of 2 GiB or more: the .onnx file itself must stay under it. */
    public static final long PROTOBUF_LIMIT = (1L << 31) - 1;

    public ModelFacts {
        dynamicInputs = List.copyOf(dynamicInputs);
    }

    public boolean usesExternalData() {
        return externalDataBytes > 0;
    }
}
