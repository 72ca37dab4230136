package io.mconv.agent.runtime.ort;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.onnx.proto.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.mconv.agent.runtime.ort.TinyModel.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model file whose weight lives in a side file: ORT resolves it relative to the model path. */
class OrtExternalDataTest {

    @Test
    void weightsAtAnOffsetInASideFileAreRead(@TempDir Path dir) throws Exception {
        TinyModel tm = new TinyModel();
        Value x = tm.input("x", tensor(DataType.FLOAT, 4));
        Value w = tm.initializer(Tensor.ofFloats("w", new long[] {4}, 0, 0, 0, 0));
        tm.output(tm.node("Mul", tensor(DataType.FLOAT, 4), x, w));
        Onnx.ModelProto proto = ProtoExporter.exportModel(tm.model);

        // 16 bytes of padding, then the real weights: the offset must be honoured.
        float[] weights = {2, -3, 0.5f, 100};
        ByteBuffer side = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        side.position(16);
        side.asFloatBuffer().put(weights);
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/weights.bin"), side.array());

        Onnx.ModelProto.Builder b = proto.toBuilder();
        Onnx.TensorProto.Builder init = b.getGraphBuilder().getInitializerBuilder(0);
        assertEquals("w", init.getName());
        init.clearRawData()
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("location")
                        .setValue("data/weights.bin"))
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("offset").setValue("16"))
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("length").setValue("16"));
        Path model = dir.resolve("model.onnx");
        Files.write(model, b.build().toByteArray());

        try (OrtModelRunner r = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            Tensor y = r.run(Map.of("x", Tensor.ofFloats("x", new long[] {4}, 1, 2, 3, 4))).get("mul_0");
            assertArrayEquals(new float[] {2, -6, 1.5f, 400}, y.toFloatArray());
        }
        assertTrue(Files.size(model) < 200, "the weights are not inline");
    }
}
