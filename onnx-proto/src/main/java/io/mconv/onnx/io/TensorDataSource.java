package io.mconv.onnx.io;

import io.mconv.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;

/**
 * Gives the bytes of a tensor whose data is not in the proto itself ({@code data_location = EXTERNAL}).
 *
 * <p>The writer depends on this interface rather than on {@link ExternalDataResolver} so a caller can supply data
 * from elsewhere (and tests can make a source fail halfway through a write).
 */
@FunctionalInterface
public interface TensorDataSource {
    /**
     * Returns the tensor's bytes as a little-endian buffer, positioned at 0, that the caller must not modify. It
     * should be a view (a mapping) rather than a heap copy.
     *
     * @throws InvalidModelException when the data cannot be found or is refused
     */
    ByteBuffer externalData(TensorProto tensor);
}
