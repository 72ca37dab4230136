package io.mconv.ir.testing;

import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A valid ONNX model crafted to crash ONNX Runtime 1.29 with SIGFPE: {@code y = Div((x - x) + INT64_MIN, -1)} on
 * int64. The quotient 2^63 does not fit in int64 and the CPU's integer division traps; ORT checks for a zero
 * divisor (at load for a constant one, at run otherwise) but not for this one, so the process that runs ORT dies
 * during the run. The dividend is computed from the input so that nothing is constant before the run.
 */
public final class Int64MinDivisionOnnx {

    public static final String INPUT = "x";
    public static final String OUTPUT = "y";

    private Int64MinDivisionOnnx() {
    }

    /** Writes the model to {@code file} and returns it. */
    public static Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            model().writeTo(out);
        }
        return file;
    }

    public static Onnx.ModelProto model() {
        Onnx.GraphProto graph = Onnx.GraphProto.newBuilder().setName("int64_min_division")
                .addInput(longs(INPUT))
                .addOutput(longs(OUTPUT))
                .addInitializer(scalar("int64_min", Long.MIN_VALUE))
                .addInitializer(scalar("minus_one", -1))
                .addNode(node("Sub", "zero", INPUT, INPUT))
                .addNode(node("Add", "dividend", "zero", "int64_min"))
                .addNode(node("Div", OUTPUT, "dividend", "minus_one"))
                .build();
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("mconv-tests-int64-min-division")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    private static Onnx.TensorProto scalar(String name, long value) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
                .addInt64Data(value).build();
    }

    private static Onnx.NodeProto node(String op, String output, String... inputs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(output + "_node")
                .addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n.build();
    }

    /** int64[1, 4]. */
    private static Onnx.ValueInfoProto longs(String name) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4));
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.INT64_VALUE)
                        .setShape(shape))).build();
    }
}
