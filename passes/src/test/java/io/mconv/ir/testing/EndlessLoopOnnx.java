package io.mconv.ir.testing;

import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A valid ONNX model crafted to hang ONNX Runtime: {@code y = Loop(M = INT64_MAX, cond = true, v = x)} whose body
 * computes {@code v = Tanh(v MatMul W)} and passes its condition through unchanged, so the loop ends only after 2^63
 * iterations (millions of years at microseconds each). Each iteration does real work on a loop-carried value, so
 * neither ORT's optimizer nor its executor can skip or shorten it, and nothing accumulates: memory stays flat while
 * the run never returns. Written with the protobuf classes so the file is exactly what a stranger could hand over.
 */
public final class EndlessLoopOnnx {

    public static final String INPUT = "x";
    public static final String OUTPUT = "y";
    /** The width of x, y and W ({@code x: float[1, WIDTH]}). */
    public static final int WIDTH = 32;

    private EndlessLoopOnnx() {
    }

    /** Writes the model to {@code file} and returns it. */
    public static Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            model().writeTo(out);
        }
        return file;
    }

    public static Onnx.ModelProto model() {
        Onnx.GraphProto body = Onnx.GraphProto.newBuilder().setName("endless_body")
                .addInput(scalar("iteration", Onnx.TensorProto.DataType.INT64))
                .addInput(scalar("cond_in", Onnx.TensorProto.DataType.BOOL))
                .addInput(floats("v_in", 1, WIDTH))
                .addNode(node("MatMul", "product", "v_in", "W"))
                .addNode(node("Tanh", "v_out", "product"))
                .addNode(node("Identity", "cond_out", "cond_in"))
                .addOutput(scalar("cond_out", Onnx.TensorProto.DataType.BOOL))
                .addOutput(floats("v_out", 1, WIDTH))
                .build();
        Onnx.NodeProto loop = node("Loop", OUTPUT, "M", "cond", INPUT).toBuilder()
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("body")
                        .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(body))
                .build();
        Onnx.GraphProto graph = Onnx.GraphProto.newBuilder().setName("endless_loop")
                .addInput(floats(INPUT, 1, WIDTH))
                .addOutput(floats(OUTPUT, 1, WIDTH))
                .addInitializer(weights())
                .addInitializer(Onnx.TensorProto.newBuilder().setName("M")
                        .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addInt64Data(Long.MAX_VALUE))
                .addInitializer(Onnx.TensorProto.newBuilder().setName("cond")
                        .setDataType(Onnx.TensorProto.DataType.BOOL_VALUE).addInt32Data(1))
                .addNode(loop)
                .build();
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("mconv-tests-endless-loop")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    /** W: seeded values in (-1/WIDTH, 1/WIDTH), so the loop-carried values stay finite however long it runs. */
    private static Onnx.TensorProto weights() {
        ByteBuffer w = ByteBuffer.allocate(WIDTH * WIDTH * 4).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(8);
        while (w.hasRemaining()) {
            w.putFloat((random.nextFloat() * 2 - 1) / WIDTH);
        }
        return Onnx.TensorProto.newBuilder().setName("W").addDims(WIDTH).addDims(WIDTH)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(w.array())).build();
    }

    private static Onnx.NodeProto node(String op, String output, String... inputs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(output + "_node")
                .addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n.build();
    }

    private static Onnx.ValueInfoProto scalar(String name, Onnx.TensorProto.DataType type) {
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
                        .setShape(Onnx.TensorShapeProto.newBuilder()))).build();
    }

    private static Onnx.ValueInfoProto floats(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }
}
