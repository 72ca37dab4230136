package io.mconv.agent.runtime.ort;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.ValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts ORT's input/output descriptions to IR {@link ValueType}s. */
final class OrtTypes {

    private OrtTypes() {
    }

    static Map<String, ValueType> toValueTypes(Map<String, NodeInfo> infos) {
        Map<String, ValueType> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : infos.entrySet()) {
            out.put(e.getKey(), toValueType(e.getValue().getInfo()));
        }
        return out;
    }

    static ValueType toValueType(ValueInfo info) {
        if (info instanceof TensorInfo t) {
            return new ValueType.TensorType(dataType(t.onnxType),
                    shape(t.getShape(), t.getDimensionNames()));
        }
        if (info instanceof SequenceInfo s) {
            ValueType elem = s.isSequenceOfMaps() ? mapType(s.mapInfo) : tensorOf(s.sequenceType);
            return new ValueType.SequenceType(elem, null);
        }
        if (info instanceof MapInfo m) {
            return mapType(m);
        }
        return new ValueType.UnspecifiedType(null);
    }

    private static ValueType mapType(MapInfo m) {
        return new ValueType.MapType(dataType(m.keyType), tensorOf(m.valueType), null);
    }

    private static ValueType tensorOf(OnnxJavaType javaType) {
        return new ValueType.TensorType(dataType(javaType), null);
    }

    /** Sequence and map infos carry only the Java type, which cannot tell int32 from uint32. */
    private static DataType dataType(OnnxJavaType javaType) {
        if (javaType == null || javaType == OnnxJavaType.UNKNOWN) {
            return null;
        }
        return dataType(TensorInfo.OnnxTensorType.mapFromJavaType(javaType));
    }

    /**
     * ORT Java's {@code OnnxTensorType.value} is its own numbering (FLOAT is 10, not ONNX's 1), so the mapping goes
     * by constant, not by code. Null for UNDEFINED and types this ORT does not name (4-bit ones).
     */
    static DataType dataType(TensorInfo.OnnxTensorType t) {
        if (t == null) {
            return null;
        }
        return switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FLOAT;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.DOUBLE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.STRING;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64 -> DataType.COMPLEX64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX128 -> DataType.COMPLEX128;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BFLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FN -> DataType.FLOAT8E4M3FN;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FNUZ -> DataType.FLOAT8E4M3FNUZ;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2 -> DataType.FLOAT8E5M2;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2FNUZ -> DataType.FLOAT8E5M2FNUZ;
            default -> null;
        };
    }

    /** ORT gives -1 for a dimension it does not know, with the symbolic name (or "") alongside. */
    static Shape shape(long[] dims, String[] names) {
        List<Dim> out = new ArrayList<>(dims.length);
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] >= 0) {
                out.add(Dim.of(dims[i]));
            } else if (names != null && i < names.length && names[i] != null && !names[i].isEmpty()) {
                out.add(Dim.symbolic(names[i]));
            } else {
                out.add(Dim.unknown());
            }
        }
        return new Shape(out);
    }
}
