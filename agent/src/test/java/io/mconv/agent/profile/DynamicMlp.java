package io.mconv.agent.profile;

import io.mconv.agent.model.ModelSaver;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.onnx.io.WriteOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A two-layer perceptron with a symbolic batch dimension, small enough that profiling it takes milliseconds:
 * {@code x[batch,64] -> MatMul(64x128) -> Relu -> MatMul(128x16) -> y[batch,16]}, 64*128 + 128*16 = 10,240 MACs
 * per item.
 */
final class DynamicMlp {

    static final long MACS_PER_ITEM = 64 * 128 + 128 * 16;

    private DynamicMlp() {
    }

    static Path write(Path dir) throws IOException {
        return write(dir, 64, 128);
    }

    /** The same shape of model with other widths: {@code x[batch,in] -> MatMul(in x hidden) -> Relu -> ...}. */
    static Path write(Path dir, int in, int hidden) throws IOException {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, new Shape(List.of(Dim.symbolic("batch"), Dim.of(in))));
        Value h = b.node("Relu", b.node("MatMul", x, b.weight("w1", in, hidden)));
        Value y = b.node("MatMul", h, b.weight("w2", hidden, 16));
        y.setType(new ValueType.TensorType(DataType.FLOAT, new Shape(List.of(Dim.symbolic("batch"), Dim.of(16)))));
        b.output(y);
        Path file = dir.resolve("mlp_dynamic_" + in + "x" + hidden + ".onnx");
        new ModelSaver().save(b.model(), file, WriteOptions.defaults());
        return file;
    }
}
