package io.mconv.agent.pipeline;

/** The spellings of a plan's source kind, as the plan and the report show them. */
public final class SourceKinds {

    public static final String TORCHSCRIPT = "torchscript";
    public static final String ONNX = "onnx";

    private SourceKinds() {
    }
}
