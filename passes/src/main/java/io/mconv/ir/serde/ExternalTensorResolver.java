package io.mconv.ir.serde;

import io.mconv.onnx.proto.Onnx;
import java.nio.ByteBuffer;

/**
 * Gives the bytes of a tensor whose data lives in an external file. The implementation from onnx-proto checks the
 * location (no absolute paths, no escapes from the model's folder) and maps the region instead of copying it.
 */
@FunctionalInterface
public interface ExternalTensorResolver {

    /** The tensor's raw bytes, read-only, exactly the region its external_data names. */
    ByteBuffer resolve(Onnx.TensorProto tensor);

    /** For models read from bytes: any external tensor is an error. */
    ExternalTensorResolver NONE = tensor -> {
        throw new io.mconv.ir.InvalidGraphException("tensor '" + tensor.getName()
                + "' has external data, but the model was not read from a file");
    };
}
