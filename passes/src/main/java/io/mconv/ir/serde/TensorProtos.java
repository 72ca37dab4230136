package io.mconv.ir.serde;

import io.mconv.ir.Tensor;
import io.mconv.onnx.proto.Onnx;
import java.util.ArrayList;
import java.util.List;

/**
 * Standalone tensors and sequences on the wire (calibration inputs, the conformance suite's test data) to and from
 * IR tensors. Inside models, {@link ProtoImporter} and {@link ProtoExporter} do this.
 */
public final class TensorProtos {

    private TensorProtos() {
    }

    /** @throws io.mconv.ir.InvalidGraphException when the tensor is malformed or uses external data */
    public static Tensor fromProto(Onnx.TensorProto proto) {
        return TensorCodec.fromProto(proto, ExternalTensorResolver.NONE);
    }

    public static Onnx.TensorProto toProto(Tensor tensor) {
        return TensorCodec.toProto(tensor);
    }

    /** The tensors of a sequence of tensors; other element kinds are refused. */
    public static List<Tensor> fromSequence(Onnx.SequenceProto proto) {
        if (proto.getSparseTensorValuesCount() + proto.getSequenceValuesCount() + proto.getMapValuesCount()
                + proto.getOptionalValuesCount() > 0) {
            throw new io.mconv.ir.InvalidGraphException("sequence '" + proto.getName()
                    + "' holds values other than tensors");
        }
        List<Tensor> out = new ArrayList<>();
        for (Onnx.TensorProto t : proto.getTensorValuesList()) {
            out.add(fromProto(t));
        }
        return out;
    }
}
