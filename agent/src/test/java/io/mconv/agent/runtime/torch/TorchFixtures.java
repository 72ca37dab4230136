package io.mconv.agent.runtime.torch;

import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.proto.Onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The committed fixtures of {@code testdata/torch/validate/} (written by testdata/make_validate_fixtures.py) and
 * the prerequisite of every libtorch test: the DJL jars on the class path. A missing prerequisite fails the test
 * with how to get it; it is never skipped.
 */
public final class TorchFixtures {

    private TorchFixtures() {
    }

    /** Fails with how to get libtorch when the DJL jars are missing. */
    public static void requireLibtorch() {
        assertTrue(LibtorchAvailability.problem().isEmpty(), () -> LibtorchAvailability.problem().orElse(""));
    }

    public static Path file(String name) {
        Path p = Fixtures.testdata().resolve("torch").resolve("validate").resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("Fixture " + p + " is missing. It is committed; regenerate it with: /usr/bin/python3 "
                    + "testdata/make_validate_fixtures.py (needs python3-torch and python3-onnx)");
        }
        return p;
    }

    /** {@code test_data_set_0/<name>.pb} as an IR tensor. */
    public static Tensor pb(String name) {
        try {
            return TensorProtos.fromProto(Onnx.TensorProto.parseFrom(Files.readAllBytes(
                    file("test_data_set_0/" + name + ".pb"))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The two-input CNN's signature, as its ONNX export declares it. */
    public static Map<String, ValueType> cnnInputs() {
        Map<String, ValueType> m = new LinkedHashMap<>();
        m.put("image", new ValueType.TensorType(DataType.FLOAT, Shape.of(1, 3, 16, 16)));
        m.put("bias", new ValueType.TensorType(DataType.FLOAT, Shape.of(1, 10)));
        return m;
    }

    public static Map<String, ValueType> cnnOutputs() {
        Map<String, ValueType> m = new LinkedHashMap<>();
        m.put("logits", new ValueType.TensorType(DataType.FLOAT, Shape.of(1, 10)));
        m.put("features", new ValueType.TensorType(DataType.FLOAT, Shape.of(1, 16)));
        return m;
    }

    /** The recorded inputs, keyed by the ONNX input names. */
    public static Map<String, Tensor> cnnFeeds() {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("image", pb("input_0").withName("image"));
        feeds.put("bias", pb("input_1").withName("bias"));
        return feeds;
    }
}
