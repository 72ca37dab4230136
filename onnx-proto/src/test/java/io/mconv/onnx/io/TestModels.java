package io.mconv.onnx.io;

import com.google.protobuf.ByteString;
import io.mconv.onnx.proto.Onnx.AttributeProto;
import io.mconv.onnx.proto.Onnx.FunctionProto;
import io.mconv.onnx.proto.Onnx.GraphProto;
import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.NodeProto;
import io.mconv.onnx.proto.Onnx.OperatorSetIdProto;
import io.mconv.onnx.proto.Onnx.SparseTensorProto;
import io.mconv.onnx.proto.Onnx.StringStringEntryProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import io.mconv.onnx.proto.Onnx.TrainingInfoProto;
import java.io.ByteArrayOutputStream;
import java.util.Random;

/** Small models for the I/O tests, with tensors in every place a model can hold one. */
final class TestModels {
    private TestModels() {}

    static TensorProto rawTensor(String name, int floats, long seed) {
        byte[] b = new byte[floats * 4];
        new Random(seed).nextBytes(b);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(floats).setRawData(ByteString.copyFrom(b)).build();
    }

    static TensorProto externalTensor(String name, String... keyValues) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(2).setDataLocation(TensorProto.DataLocation.EXTERNAL);
        for (int i = 0; i < keyValues.length; i += 2) {
            b.addExternalData(StringStringEntryProto.newBuilder().setKey(keyValues[i]).setValue(keyValues[i + 1]));
        }
        return b.build();
    }

    /** A graph with one Relu and the given initializers. */
    static GraphProto graph(String name, TensorProto... initializers) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name)
                .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"));
        for (TensorProto t : initializers) {
            g.addInitializer(t);
        }
        return g.build();
    }

    static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(9).setProducerName("mconv-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build();
    }

    /**
     * Tensors everywhere: initializers, a sparse initializer, a Constant node, an If with two subgraphs (one of
     * them holding a Loop whose body has an initializer), a function with a Constant, training info.
     */
    static ModelProto everywhere(int floatsPerTensor) {
        int[] seed = {1};
        java.util.function.Function<String, TensorProto> t = n -> rawTensor(n, floatsPerTensor, seed[0]++);
        GraphProto loopBody = graph("loop_body", t.apply("loop_init"));
        GraphProto thenBranch = graph("then", t.apply("then_init")).toBuilder()
                .addNode(NodeProto.newBuilder().setOpType("Loop").addAttribute(AttributeProto.newBuilder()
                        .setName("body").setType(AttributeProto.AttributeType.GRAPH).setG(loopBody)))
                .build();
        GraphProto elseBranch = graph("else", t.apply("else_init"));
        GraphProto main = graph("main", t.apply("w0"), t.apply("w1")).toBuilder()
                .addSparseInitializer(SparseTensorProto.newBuilder().addDims(floatsPerTensor * 2)
                        .setValues(t.apply("sparse_values"))
                        .setIndices(t.apply("sparse_indices")))
                .addNode(NodeProto.newBuilder().setOpType("Constant").addOutput("c")
                        .addAttribute(AttributeProto.newBuilder().setName("value")
                                .setType(AttributeProto.AttributeType.TENSOR).setT(t.apply("const_t"))))
                .addNode(NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("z")
                        .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                                .setType(AttributeProto.AttributeType.GRAPH).setG(thenBranch))
                        .addAttribute(AttributeProto.newBuilder().setName("else_branch")
                                .setType(AttributeProto.AttributeType.GRAPH).setG(elseBranch)))
                .addNode(NodeProto.newBuilder().setOpType("Custom").setDomain("test")
                        .addAttribute(AttributeProto.newBuilder().setName("tensors")
                                .setType(AttributeProto.AttributeType.TENSORS)
                                .addTensors(t.apply("attr_tensors_0")).addTensors(t.apply("attr_tensors_1")))
                        .addAttribute(AttributeProto.newBuilder().setName("graphs")
                                .setType(AttributeProto.AttributeType.GRAPHS)
                                .addGraphs(graph("graphs_0", t.apply("graphs_init")))))
                .build();
        return model(main).toBuilder()
                .addFunctions(FunctionProto.newBuilder().setName("f").setDomain("test")
                        .addNode(NodeProto.newBuilder().setOpType("Constant").addOutput("k")
                                .addAttribute(AttributeProto.newBuilder().setName("value")
                                        .setType(AttributeProto.AttributeType.TENSOR).setT(t.apply("function_const")))))
                .addTrainingInfo(TrainingInfoProto.newBuilder()
                        .setInitialization(graph("train_init", t.apply("training_init")))
                        .setAlgorithm(graph("train_algo", t.apply("training_algo"))))
                .build();
    }

    /** Protobuf wire helpers for building hostile bytes by hand. */
    static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A length-delimited field: tag (field, wire type 2), length, payload. */
    static byte[] field(int number, byte[] payload) {
        return concat(varint(((long) number << 3) | 2), varint(payload.length), payload);
    }
}
