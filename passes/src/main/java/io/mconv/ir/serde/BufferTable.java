package io.mconv.ir.serde;

import io.mconv.onnx.io.TensorDataSource;
import io.mconv.onnx.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Off-heap tensor bytes (memory-mapped external data) that an export refers to instead of copying. The exported
 * proto marks such a tensor EXTERNAL with a location naming its slot here; the model writer reads the bytes back
 * through this table, as it would from an external data file, and streams them to disk. The locations never reach
 * a file: the writer gives every external tensor a location in its own data file, or inlines it.
 */
public final class BufferTable implements TensorDataSource {

    static final String LOCATION_PREFIX = "mconv-buffer:";

    private final List<ByteBuffer> buffers = new ArrayList<>();

    void register(Onnx.TensorProto.Builder tensor, ByteBuffer bytes) {
        int slot = buffers.size();
        buffers.add(bytes.duplicate());
        tensor.setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", LOCATION_PREFIX + slot))
                .addExternalData(entry("offset", "0"))
                .addExternalData(entry("length", Long.toString(bytes.remaining())));
    }

    private static Onnx.StringStringEntryProto entry(String key, String value) {
        return Onnx.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** How many tensors were referenced rather than copied. */
    public int size() {
        return buffers.size();
    }

    @Override
    public ByteBuffer externalData(Onnx.TensorProto tensor) {
        for (Onnx.StringStringEntryProto e : tensor.getExternalDataList()) {
            if (e.getKey().equals("location") && e.getValue().startsWith(LOCATION_PREFIX)) {
                int slot = Integer.parseInt(e.getValue().substring(LOCATION_PREFIX.length()));
                return buffers.get(slot).duplicate().order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        throw new IllegalArgumentException("tensor '" + tensor.getName() + "' is not in this export's buffer table");
    }
}
