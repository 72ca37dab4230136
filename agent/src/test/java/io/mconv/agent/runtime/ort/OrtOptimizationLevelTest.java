package io.mconv.agent.runtime.ort;

import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.onnx.proto.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.mconv.agent.runtime.ort.TinyModel.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ORT's BASIC level removes Identity chains; NONE (validation's level) leaves the graph as we wrote it. */
class OrtOptimizationLevelTest {

    /** x -> Identity -> Identity -> Identity -> Add(bias) -> Identity -> y: five nodes. */
    private static Model identityChain() {
        TinyModel tm = new TinyModel();
        Value v = tm.input("x", tensor(DataType.FLOAT, 2));
        for (int i = 0; i < 3; i++) {
            v = tm.node("Identity", tensor(DataType.FLOAT, 2), v);
        }
        v = tm.node("Add", tensor(DataType.FLOAT, 2), v, tm.initializer(Tensor.ofFloats("b", new long[] {2}, 1, 2)));
        tm.output(tm.node("Identity", tensor(DataType.FLOAT, 2), v));
        return tm.model;
    }

    private static int savedNodeCount(GraphOptimizationLevel level, Path file) throws Exception {
        OrtSessionConfig cfg = OrtSessionConfig.forValidation().withOptimizationLevel(level)
                .withOptimizedModelPath(file);
        try (OrtModelRunner r = OrtModelRunner.open(identityChain(), cfg)) {
            Tensor y = r.run(Map.of("x", Tensor.ofFloats("x", new long[] {2}, 10, 20))).get("identity_4");
            assertArrayEquals(new float[] {11, 22}, y.toFloatArray(), level.toString());
        }
        assertTrue(Files.size(file) > 0, "ORT wrote " + file);
        return Onnx.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getNodeCount();
    }

    @Test
    void basicLevelSavesAModelWithFewerNodes(@TempDir Path dir) throws Exception {
        int none = savedNodeCount(GraphOptimizationLevel.NONE, dir.resolve("none.onnx"));
        int basic = savedNodeCount(GraphOptimizationLevel.BASIC, dir.resolve("basic.onnx"));
        assertEquals(5, none);
        assertTrue(basic < none, "basic " + basic + " vs none " + none);
    }
}
