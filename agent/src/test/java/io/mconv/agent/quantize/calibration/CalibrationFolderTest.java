package io.mconv.agent.quantize.calibration;

import io.mconv.conformance.ConformanceSuite;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.ValueType;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.io.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three folder layouts, real .pb (the ONNX suite's) and .npy (numpy-written) files, and the refusals. */
class CalibrationFolderTest {

    @TempDir
    Path tmp;

    private static final Map<String, ValueType> X = Map.of("x",
            new ValueType.TensorType(DataType.FLOAT, Shape.of(2, 3, 4)));

    private static Path npy(String name) {
        return Fixtures.testdata().resolve("npy").resolve(name);
    }

    @Test
    void subfoldersOfTensorProtosLikeOnnxTestDataSets() {
        Path dir = ConformanceSuite.root().resolve("pytorch-converted/test_Conv2d");
        Map<String, ValueType> in = Map.of("0", new ValueType.TensorType(DataType.FLOAT, Shape.of(2, 3, 7, 5)));
        CalibrationSamples s = new CalibrationFolder().read(dir, in);
        assertEquals(1, s.size());
        assertArrayEquals(new long[] {2, 3, 7, 5}, s.samples().get(0).get("0").dims());
        assertTrue(s.warnings().isEmpty());
    }

    @Test
    void subfoldersOfNpyAndAFlatFolderOfNpy() throws Exception {
        Path sub = tmp.resolve("subs");
        for (String d : new String[] {"a", "b"}) {
            Files.createDirectories(sub.resolve(d));
        }
        Files.copy(npy("f32_2x3x4.npy"), sub.resolve("a/input_0.npy"));
        Files.copy(npy("f32_v2.npy"), sub.resolve("b/x.npy")); // by input name
        CalibrationSamples s = new CalibrationFolder().read(sub, X);
        assertEquals(2, s.size());
        assertEquals(-3f, s.samples().get(1).get("x").toFloatArray()[0]);

        Path flat = Files.createDirectories(tmp.resolve("flat"));
        for (int i = 0; i < 3; i++) {
            Files.copy(npy("f32_2x3x4.npy"), flat.resolve("sample" + i + ".npy"));
        }
        assertEquals(3, new CalibrationFolder().read(flat, X).size());
    }

    @Test
    void refusesWrongDtypeEmptyFolderAndMissingFolder() throws Exception {
        Path bad = Files.createDirectories(tmp.resolve("bad/s0"));
        Files.copy(npy("i64_5.npy"), bad.resolve("input_0.npy"));
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> new CalibrationFolder().read(tmp.resolve("bad"), X));
        assertTrue(e.getMessage().contains("holds int64"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(assertThrows(InvalidModelException.class, () -> new CalibrationFolder().read(empty, X))
                .getMessage().contains("no calibration samples"));
        assertTrue(assertThrows(InvalidModelException.class,
                () -> new CalibrationFolder().read(tmp.resolve("nope"), X)).getMessage().contains("no such folder"));
    }

    @Test
    void randomSamplesAreSeededGaussianWithAWarning() {
        CalibrationSamples a = new GaussianCalibrationInputs(5).generate(X, Map.of(), 4);
        CalibrationSamples b = new GaussianCalibrationInputs(5).generate(X, Map.of(), 4);
        assertEquals(4, a.size());
        assertArrayEquals(a.samples().get(3).get("x").toFloatArray(), b.samples().get(3).get("x").toFloatArray());
        assertTrue(a.warnings().get(0).contains("real data"));
        // N(0,1): some values beyond the [-1, 1) of uniform test inputs.
        float max = 0;
        for (var feeds : a.samples()) {
            for (float f : feeds.get("x").toFloatArray()) {
                max = Math.max(max, Math.abs(f));
            }
        }
        assertTrue(max > 1.5f, "max |x| " + max);
    }
}
