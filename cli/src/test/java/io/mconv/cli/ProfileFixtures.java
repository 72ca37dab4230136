package io.mconv.cli;

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

/** Models for the profile tests: the bundled tiny CNN (fixed batch 1) and a tiny MLP with a symbolic batch. */
final class ProfileFixtures {

    private ProfileFixtures() {
    }

    static Path tinyCnn() {
        return InspectCommandTest.example();
    }

    /** {@code x[batch,64] -> MatMul(64x128) -> Relu -> MatMul(128x16)}: 10,240 MACs per item. */
    static Path dynamicMlp(Path dir) throws IOException {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, new Shape(List.of(Dim.symbolic("batch"), Dim.of(64))));
        Value h = b.node("Relu", b.node("MatMul", x, b.weight("w1", 64, 128)));
        Value y = b.node("MatMul", h, b.weight("w2", 128, 16));
        y.setType(new ValueType.TensorType(DataType.FLOAT, new Shape(List.of(Dim.symbolic("batch"), Dim.of(16)))));
        b.output(y);
        Path file = dir.resolve("mlp_dynamic.onnx");
        new ModelSaver().save(b.model(), file, WriteOptions.defaults());
        return file;
    }

    /** Few runs: these tests check structure and exit codes, not speed. */
    static final String[] QUICK = {"--iterations", "5", "--warmup", "1", "--op-profile-runs", "2", "--threads", "1"};

    static String[] args(String... head) {
        String[] out = new String[head.length + QUICK.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(QUICK, 0, out, head.length, QUICK.length);
        return out;
    }
}
