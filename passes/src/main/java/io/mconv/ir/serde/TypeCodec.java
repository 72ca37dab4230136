package io.mconv.ir.serde;

import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Shape;
import io.mconv.ir.ValueType;
import io.mconv.onnx.proto.Onnx;
import java.util.ArrayList;
import java.util.List;

/** Converts TypeProto to and from {@link ValueType}, refusing unknown element types and negative dimensions. */
final class TypeCodec {

    private TypeCodec() {
    }

    static ValueType fromProto(Onnx.TypeProto tp, String where) {
        String denotation = tp.hasDenotation() ? tp.getDenotation() : null;
        return switch (tp.getValueCase()) {
            case TENSOR_TYPE -> new ValueType.TensorType(elemType(tp.getTensorType().getElemType(), where),
                    tp.getTensorType().hasShape() ? shape(tp.getTensorType().getShape(), where) : null, denotation);
            case SPARSE_TENSOR_TYPE -> new ValueType.SparseTensorType(
                    elemType(tp.getSparseTensorType().getElemType(), where),
                    tp.getSparseTensorType().hasShape() ? shape(tp.getSparseTensorType().getShape(), where) : null,
                    denotation);
            case SEQUENCE_TYPE -> new ValueType.SequenceType(
                    fromProto(tp.getSequenceType().getElemType(), where), denotation);
            case MAP_TYPE -> new ValueType.MapType(elemType(tp.getMapType().getKeyType(), where),
                    fromProto(tp.getMapType().getValueType(), where), denotation);
            case OPTIONAL_TYPE -> new ValueType.OptionalType(
                    fromProto(tp.getOptionalType().getElemType(), where), denotation);
            case OPAQUE_TYPE -> new ValueType.OpaqueType(tp.getOpaqueType().getDomain(),
                    tp.getOpaqueType().getName(), denotation);
            case VALUE_NOT_SET -> new ValueType.UnspecifiedType(denotation);
        };
    }

    private static DataType elemType(int code, String where) {
        if (code == 0) {
            return null;
        }
        return DataType.fromCode(code).orElseThrow(() -> new InvalidGraphException(
                where + " has an unknown element type (" + code + ")"));
    }

    private static Shape shape(Onnx.TensorShapeProto sp, String where) {
        List<Dim> dims = new ArrayList<>(sp.getDimCount());
        for (Onnx.TensorShapeProto.Dimension d : sp.getDimList()) {
            String denotation = d.hasDenotation() ? d.getDenotation() : null;
            switch (d.getValueCase()) {
                case DIM_VALUE -> {
                    if (d.getDimValue() < 0) {
                        throw new InvalidGraphException(where + " has a negative dimension (" + d.getDimValue() + ")");
                    }
                    dims.add(new Dim(d.getDimValue(), null, denotation));
                }
                case DIM_PARAM -> dims.add(new Dim(null, d.getDimParam(), denotation));
                case VALUE_NOT_SET -> dims.add(new Dim(null, null, denotation));
            }
        }
        return new Shape(dims);
    }

    static Onnx.TypeProto toProto(ValueType type) {
        Onnx.TypeProto.Builder b = Onnx.TypeProto.newBuilder();
        if (type.denotation() != null) {
            b.setDenotation(type.denotation());
        }
        if (type instanceof ValueType.TensorType t) {
            Onnx.TypeProto.Tensor.Builder tb = b.getTensorTypeBuilder();
            if (t.elemType() != null) {
                tb.setElemType(t.elemType().code());
            }
            if (t.shape() != null) {
                tb.setShape(shapeToProto(t.shape()));
            }
        } else if (type instanceof ValueType.SparseTensorType t) {
            Onnx.TypeProto.SparseTensor.Builder tb = b.getSparseTensorTypeBuilder();
            if (t.elemType() != null) {
                tb.setElemType(t.elemType().code());
            }
            if (t.shape() != null) {
                tb.setShape(shapeToProto(t.shape()));
            }
        } else if (type instanceof ValueType.SequenceType s) {
            b.getSequenceTypeBuilder().setElemType(toProto(s.elemType()));
        } else if (type instanceof ValueType.MapType m) {
            Onnx.TypeProto.Map.Builder mb = b.getMapTypeBuilder();
            if (m.keyType() != null) {
                mb.setKeyType(m.keyType().code());
            }
            mb.setValueType(toProto(m.valueType()));
        } else if (type instanceof ValueType.OptionalType o) {
            b.getOptionalTypeBuilder().setElemType(toProto(o.elemType()));
        } else if (type instanceof ValueType.OpaqueType o) {
            b.getOpaqueTypeBuilder().setDomain(o.domain()).setName(o.name());
        }
        return b.build();
    }

    private static Onnx.TensorShapeProto shapeToProto(Shape shape) {
        Onnx.TensorShapeProto.Builder sb = Onnx.TensorShapeProto.newBuilder();
        for (Dim d : shape.dims()) {
            Onnx.TensorShapeProto.Dimension.Builder db = sb.addDimBuilder();
            if (d.value() != null) {
                db.setDimValue(d.value());
            } else if (d.param() != null) {
                db.setDimParam(d.param());
            }
            if (d.denotation() != null) {
                db.setDenotation(d.denotation());
            }
        }
        return sb.build();
    }
}
