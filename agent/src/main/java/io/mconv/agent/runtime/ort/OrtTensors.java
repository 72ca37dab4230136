package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.mconv.agent.runtime.UnsupportedTensorTypeException;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between IR {@link Tensor}s and ORT's {@link OnnxTensor}s.
 *
 * <p>ORT Java (1.29) creates tensors of float, double, float16, bfloat16, int8, int16, int32, int64, uint8, bool
 * and string ({@link OnnxJavaType} has no unsigned 16/32/64-bit, complex, float8 or 4-bit types). It hands back
 * the same types plus uint16/uint32/uint64, which it reports through {@code TensorInfo.onnxType} while exposing
 * their bytes as the signed type of the same width. Everything else is refused with
 * {@link UnsupportedTensorTypeException}.
 *
 * <p>Feeds go over as direct buffers: ORT reads a direct buffer in place (our tensors' bytes are little-endian,
 * ORT reads native order; every platform ORT ships for is little-endian, which {@link OrtModelRunner} checks), and
 * would copy a heap buffer into a direct one anyway.
 */
final class OrtTensors {

    private OrtTensors() {
    }

    /** The ORT Java type used to create a feed of this dtype, or null when ORT Java cannot create one. */
    static OnnxJavaType feedType(DataType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case STRING -> OnnxJavaType.STRING;
            default -> null;
        };
    }

    /** Whether ORT Java can hand back an output of this dtype. */
    static boolean fetchable(DataType type) {
        return feedType(type) != null || type == DataType.UINT16 || type == DataType.UINT32
                || type == DataType.UINT64;
    }

    /** A new ORT tensor over the IR tensor's bytes; the caller closes it. */
    static OnnxTensor toOrt(OrtEnvironment env, String inputName, Tensor t) throws OrtException {
        OnnxJavaType javaType = feedType(t.dataType());
        if (javaType == null) {
            throw new UnsupportedTensorTypeException(inputName, t.dataType(),
                    "ONNX Runtime's Java API cannot create (it takes float, double, float16, bfloat16, int8, int16, "
                            + "int32, int64, uint8, bool and string)");
        }
        long[] dims = t.dims();
        if (t.dataType() == DataType.STRING) {
            return OnnxTensor.createTensor(env, decodeUtf8(inputName, t.strings()), dims);
        }
        return OnnxTensor.createTensor(env, directCopyIfNeeded(t.rawBytes()), dims, javaType);
    }

    private static ByteBuffer directCopyIfNeeded(ByteBuffer bytes) {
        if (bytes.isDirect()) {
            return bytes;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(bytes).flip();
        return direct;
    }

    /** ORT Java takes strings as java.lang.String and encodes them as UTF-8; bytes that are not UTF-8 would change. */
    private static String[] decodeUtf8(String inputName, List<byte[]> values) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String[] out = new String[values.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                CharBuffer chars = decoder.decode(ByteBuffer.wrap(values.get(i)));
                out[i] = chars.toString();
            } catch (CharacterCodingException e) {
                throw new UnsupportedTensorTypeException(inputName, DataType.STRING, "ONNX Runtime's Java API takes "
                        + "only as UTF-8 text, and element " + i + " is not valid UTF-8");
            }
        }
        return out;
    }

    /** The IR view of an ORT output tensor (bytes copied out of ORT's memory, which dies with the result). */
    static Tensor fromOrt(String outputName, OnnxTensor t) throws OrtException {
        TensorInfo info = t.getInfo();
        DataType type = OrtTypes.dataType(info.onnxType);
        if (type == null || !fetchable(type)) {
            throw new UnsupportedTensorTypeException(outputName, type,
                    "ONNX Runtime's Java API cannot hand back (ORT type " + info.onnxType + ")");
        }
        long[] dims = info.getShape();
        if (type == DataType.STRING) {
            List<byte[]> values = new ArrayList<>();
            flattenStrings(t.getValue(), values);
            return Tensor.ofStrings(outputName, dims, values);
        }
        return Tensor.ofRaw(outputName, type, dims, t.getByteBuffer());
    }

    /** ORT returns a string tensor as a String (scalar) or nested String arrays, one level per dimension. */
    private static void flattenStrings(Object value, List<byte[]> out) {
        if (value instanceof String s) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        } else if (value != null && value.getClass().isArray()) {
            int n = Array.getLength(value);
            for (int i = 0; i < n; i++) {
                flattenStrings(Array.get(value, i), out);
            }
        } else {
            throw new IllegalStateException("unexpected string tensor value from ORT: " + value);
        }
    }
}
