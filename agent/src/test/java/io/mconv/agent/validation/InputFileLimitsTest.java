package io.mconv.agent.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mconv.agent.profile.InputDirectory;
import io.mconv.agent.quantize.calibration.CalibrationFolder;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * profile-input-size and test-input-size: an input_N.pb one byte over the limit is refused before it is read,
 * naming the file and the limit; at the limit it is read.
 */
class InputFileLimitsTest {

    private static final Map<String, ValueType> X = Map.of("x",
            new ValueType.TensorType(DataType.FLOAT, Shape.of(2, 2)));

    @TempDir
    Path dir;

    /** input_0.pb holding a 2x2 float tensor 1, 2, 3, 4; returns its size in bytes. */
    private long writeInput() throws Exception {
        Onnx.TensorProto t = Onnx.TensorProto.newBuilder().setName("x").setDataType(1).addDims(2).addDims(2)
                .addFloatData(1).addFloatData(2).addFloatData(3).addFloatData(4).build();
        return Files.size(Files.write(dir.resolve("input_0.pb"), t.toByteArray()));
    }

    private String refusal(long size, Limit limit, long value) {
        return dir.resolve("input_0.pb") + ": is " + size + " bytes: exceeds limit " + limit.flagName() + "=" + value
                + "; raise it with --limit " + limit.flagName() + "=N";
    }

    @Test
    void profileInputSize() throws Exception {
        long size = writeInput();
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> new InputDirectory(dir,
                Limits.defaults().with(Limit.PROFILE_INPUT_SIZE, size - 1)).read(X));
        assertEquals(refusal(size, Limit.PROFILE_INPUT_SIZE, size - 1), e.getMessage());
        Tensor x = new InputDirectory(dir, Limits.defaults().with(Limit.PROFILE_INPUT_SIZE, size)).read(X).get("x");
        assertArrayEquals(new float[] {1, 2, 3, 4}, x.toFloatArray());
    }

    @Test
    void testInputSize() throws Exception {
        long size = writeInput();
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TestDataInputs.read(dir, X,
                Limits.defaults().with(Limit.TEST_INPUT_SIZE, size - 1)));
        assertEquals(refusal(size, Limit.TEST_INPUT_SIZE, size - 1), e.getMessage());
        Tensor x = TestDataInputs.read(dir, X, Limits.defaults().with(Limit.TEST_INPUT_SIZE, size)).get("x");
        assertArrayEquals(new long[] {2, 2}, x.dims());
        assertArrayEquals(new float[] {1, 2, 3, 4}, x.toFloatArray());
    }

    @Test
    void calibrationFoldersApplyTestInputSize() throws Exception {
        long size = writeInput();
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> new CalibrationFolder(
                Limits.defaults().with(Limit.TEST_INPUT_SIZE, size - 1)).read(dir, X));
        assertEquals(refusal(size, Limit.TEST_INPUT_SIZE, size - 1), e.getMessage());
        assertEquals(1, new CalibrationFolder(Limits.defaults().with(Limit.TEST_INPUT_SIZE, size)).read(dir, X)
                .size());
    }
}
