package io.mconv.onnx.io;

/** When the writer moves tensor bytes out of the {@code .onnx} file into a data file. */
public enum ExternalDataPolicy {
    /** Everything inline; a model that would exceed the protobuf limit is refused rather than written corrupt. */
    NEVER,
    /** Inline unless the model would exceed the protobuf limit (2 GiB), then as {@link #ALWAYS}. */
    AUTO,
    /** Every tensor at or above the size threshold goes to the data file ({@code --external-data}). */
    ALWAYS
}
