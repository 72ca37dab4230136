package io.mconv.ir.serde;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.mconv.ir.DataType;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.SparseTensor;
import io.mconv.ir.Tensor;
import io.mconv.onnx.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;

import java.util.List;


/**
 * Converts tensors between TensorProto and the IR. Raw and external data are wrapped, not copied: the IR tensor
 * views the protobuf's (memory-mapped) bytes, and on the way out the proto wraps the IR's buffer. Typed fields
 * (float_data, int32_data, ...) are rare for large weights and are decoded into a fresh little-endian buffer.
 */
final class TensorCodec {

    private TensorCodec() {
    }

    static Tensor fromProto(Onnx.TensorProto tp, ExternalTensorResolver external) {
        String name = tp.getName();
        DataType type = DataType.fromCode(tp.getDataType()).orElseThrow(() -> new InvalidGraphException(
                "tensor '" + name + "' has " + (tp.getDataType() == 0 ? "an undefined" : "an unknown")
                        + " data type (" + tp.getDataType() + ")"));
        long[] dims = new long[tp.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tp.getDims(i);
        }
        if (tp.hasSegment()) {
            throw new InvalidGraphException("tensor '" + name + "' is segmented; segmented tensors are not supported");
        }
        long count;
        try {
            count = Tensor.elementCount(dims);
        } catch (IllegalArgumentException e) {
            throw new InvalidGraphException("tensor '" + name + "': " + e.getMessage());
        }
        try {
            Tensor t = decode(tp, name, type, dims, count, external);
            if (tp.hasDocString()) {
                t = t.withDocString(tp.getDocString());
            }
            if (tp.getMetadataPropsCount() > 0) {
                t = t.withMetadata(MetadataCodec.fromProto(tp.getMetadataPropsList()));
            }
            return t;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidGraphException("tensor '" + name + "': " + e.getMessage());
        }
    }

    private static Tensor decode(Onnx.TensorProto tp, String name, DataType type, long[] dims, long count,
                                 ExternalTensorResolver external) {
        if (tp.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            if (type == DataType.STRING) {
                throw new InvalidGraphException("string tensor '" + name + "' cannot have external data");
            }
            return Tensor.ofRaw(name, type, dims, external.resolve(tp));
        }
        if (type == DataType.STRING) {
            List<byte[]> strings = new ArrayList<>(tp.getStringDataCount());
            for (ByteString s : tp.getStringDataList()) {
                strings.add(s.toByteArray());
            }
            return Tensor.ofStrings(name, dims, strings);
        }
        if (tp.hasRawData()) {
            return Tensor.ofRaw(name, type, dims, tp.getRawData().asReadOnlyByteBuffer()).withStorage(tp.getRawData());
        }
        long bytes = type.byteSize(count);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new InvalidGraphException("tensor '" + name + "' is too large for typed data fields");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) count;
        switch (type) {
            case FLOAT -> {
                requireCount(name, "float_data", tp.getFloatDataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.putFloat(tp.getFloatData(i));
                }
            }
            case COMPLEX64 -> {
                requireCount(name, "float_data", tp.getFloatDataCount(), 2L * n);
                for (int i = 0; i < 2 * n; i++) {
                    out.putFloat(tp.getFloatData(i));
                }
            }
            case DOUBLE -> {
                requireCount(name, "double_data", tp.getDoubleDataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.putDouble(tp.getDoubleData(i));
                }
            }
            case COMPLEX128 -> {
                requireCount(name, "double_data", tp.getDoubleDataCount(), 2L * n);
                for (int i = 0; i < 2 * n; i++) {
                    out.putDouble(tp.getDoubleData(i));
                }
            }
            case INT64 -> {
                requireCount(name, "int64_data", tp.getInt64DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.putLong(tp.getInt64Data(i));
                }
            }
            case UINT64 -> {
                requireCount(name, "uint64_data", tp.getUint64DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.putLong(tp.getUint64Data(i));
                }
            }
            case UINT32 -> {
                requireCount(name, "uint64_data", tp.getUint64DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.putInt((int) tp.getUint64Data(i));
                }
            }
            case INT32 -> {
                requireCount(name, "int32_data", tp.getInt32DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.putInt(tp.getInt32Data(i));
                }
            }
            case INT16, UINT16, FLOAT16, BFLOAT16 -> {
                requireCount(name, "int32_data", tp.getInt32DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.putShort((short) tp.getInt32Data(i));
                }
            }
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> {
                requireCount(name, "int32_data", tp.getInt32DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out.put((byte) tp.getInt32Data(i));
                }
            }
            case INT4, UINT4, FLOAT4E2M1 -> {
                // Two 4-bit elements per int32_data entry, the first in the low nibble.
                int packed = (int) bytes;
                requireCount(name, "int32_data", tp.getInt32DataCount(), packed);
                for (int i = 0; i < packed; i++) {
                    out.put((byte) tp.getInt32Data(i));
                }
            }
            default -> throw new InvalidGraphException("tensor '" + name + "' of type " + type
                    + " has no typed data field");
        }
        out.flip();
        return Tensor.ofRaw(name, type, dims, out);
    }

    private static void requireCount(String name, String field, int actual, long expected) {
        if (actual != expected) {
            throw new InvalidGraphException("tensor '" + name + "' has " + actual + " values in " + field
                    + " but its dims need " + expected);
        }
    }

    static Onnx.TensorProto toProto(Tensor t) {
        return toProto(t, null);
    }

    /**
     * @param buffers where tensors whose bytes are off-heap (memory-mapped external data) are registered and
     *                referenced instead of copied; null to inline every tensor
     */
    static Onnx.TensorProto toProto(Tensor t, BufferTable buffers) {
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder();
        for (long d : t.dims()) {
            b.addDims(d);
        }
        b.setDataType(t.dataType().code());
        if (t.name() != null && !t.name().isEmpty()) {
            b.setName(t.name());
        }
        if (t.docString() != null) {
            b.setDocString(t.docString());
        }
        if (t.dataType() == DataType.STRING) {
            for (byte[] s : t.strings()) {
                b.addStringData(ByteString.copyFrom(s));
            }
        } else if (t.storage() instanceof ByteString stored && stored.size() == t.byteSize()) {
            b.setRawData(stored);
        } else if (buffers != null && t.rawBytes().isDirect()) {
            buffers.register(b, t.rawBytes());
        } else {
            b.setRawData(copyOf(t.rawBytes()));
        }
        if (!t.metadata().isEmpty()) {
            b.addAllMetadataProps(MetadataCodec.toProto(t.metadata()));
        }
        return b.build();
    }

    /** One copy into a byte string (protobuf would copy a read-only or direct buffer anyway, and less visibly). */
    private static ByteString copyOf(java.nio.ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        return UnsafeByteOperations.unsafeWrap(array);
    }

    static SparseTensor sparseFromProto(Onnx.SparseTensorProto sp, ExternalTensorResolver external) {
        long[] dims = new long[sp.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = sp.getDims(i);
        }
        try {
            return new SparseTensor(fromProto(sp.getValues(), external), fromProto(sp.getIndices(), external), dims);
        } catch (IllegalArgumentException e) {
            throw new InvalidGraphException("sparse tensor '" + sp.getValues().getName() + "': " + e.getMessage());
        }
    }

    static Onnx.SparseTensorProto sparseToProto(SparseTensor s) {
        Onnx.SparseTensorProto.Builder b = Onnx.SparseTensorProto.newBuilder()
                .setValues(toProto(s.values()))
                .setIndices(toProto(s.indices()));
        for (long d : s.dims()) {
            b.addDims(d);
        }
        return b.build();
    }

}
