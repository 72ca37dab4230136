package io.mconv.ir.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.mconv.ir.Model;
import io.mconv.onnx.proto.Onnx;
import org.junit.jupiter.api.Test;

/** Fields written by a newer ONNX survive import into the IR and export, on every element that keeps them. */
class UnknownFieldsRoundTripTest {

    private static UnknownFieldSet unknown(int field, String payload) {
        return UnknownFieldSet.newBuilder().addField(field, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8(payload)).build()).build();
    }

    @Test
    void unknownFieldsOfModelGraphNodeValueInfoAndFunctionSurvive() {
        Onnx.ValueInfoProto x = Onnx.ValueInfoProto.newBuilder().setName("x").setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1))).setUnknownFields(unknown(50, "vi"))
                .build();
        Onnx.ModelProto original = Onnx.ModelProto.newBuilder().setIrVersion(10)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(21))
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1))
                .setGraph(Onnx.GraphProto.newBuilder().setName("g").addInput(x)
                        .addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y")
                                .setUnknownFields(unknown(10, "device configuration")))
                        .addOutput(Onnx.ValueInfoProto.newBuilder().setName("y"))
                        .setUnknownFields(unknown(40, "graph")))
                .addFunctions(Onnx.FunctionProto.newBuilder().setName("F").setDomain("local").addInput("a")
                        .addOutput("b").addNode(Onnx.NodeProto.newBuilder().setOpType("Neg").addInput("a")
                                .addOutput("b")).setUnknownFields(unknown(30, "function")))
                .setUnknownFields(unknown(26, "configuration"))
                .build();
        Model ir = ProtoImporter.importModel(original, ExternalTensorResolver.NONE);
        Onnx.ModelProto back = ProtoExporter.exportModel(ir);
        assertEquals(original.getUnknownFields(), back.getUnknownFields());
        assertEquals(original.getGraph().getUnknownFields(), back.getGraph().getUnknownFields());
        assertEquals(original.getGraph().getNode(0).getUnknownFields(), back.getGraph().getNode(0).getUnknownFields());
        assertEquals(x.getUnknownFields(), back.getGraph().getInput(0).getUnknownFields());
        assertEquals(original.getFunctions(0).getUnknownFields(), back.getFunctions(0).getUnknownFields());
        assertTrue(back.getGraph().getNode(0).getUnknownFields().hasField(10));
    }

    @Test
    void elementsWithoutUnknownFieldsGetNone() {
        Onnx.ModelProto plain = Onnx.ModelProto.newBuilder().setIrVersion(8)
                .setGraph(Onnx.GraphProto.newBuilder().setName("g")
                        .addInput(Onnx.ValueInfoProto.newBuilder().setName("x"))
                        .addOutput(Onnx.ValueInfoProto.newBuilder().setName("x"))).build();
        Model ir = ProtoImporter.importModel(plain, ExternalTensorResolver.NONE);
        assertEquals(null, ir.preservedFields().get());
        assertEquals(plain, ProtoExporter.exportModel(ir));
    }
}
