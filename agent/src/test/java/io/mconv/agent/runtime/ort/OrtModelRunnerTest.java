package io.mconv.agent.runtime.ort;

import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeLoadFailureException;
import io.mconv.agent.runtime.RuntimeValue;
import io.mconv.agent.runtime.UnsupportedTensorTypeException;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.mconv.agent.runtime.ort.TinyModel.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ONNX Runtime (CPU) over tiny IR models: every dtype ORT Java takes, strings, shapes, failures. */
class OrtModelRunnerTest {

    private static final OrtSessionConfig CONFIG = OrtSessionConfig.forValidation();

    private static Tensor raw(String name, DataType type, long[] dims, byte[] bytes) {
        return Tensor.ofRaw(name, type, dims, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Eight elements of a type, with bytes chosen to hit signs and high bits (bool: 0/1 only). */
    private static Tensor sample(DataType type) {
        int width = type.bits() / 8;
        ByteBuffer b = ByteBuffer.allocate(8 * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            double v = (i - 3) * 1.5;
            switch (type) {
                case FLOAT -> b.putFloat((float) v);
                case DOUBLE -> b.putDouble(v);
                case FLOAT16 -> b.putShort(HalfPrecision.floatToFloat16((float) v));
                case BFLOAT16 -> b.putShort(HalfPrecision.floatToBfloat16((float) v));
                case INT8, UINT8 -> b.put((byte) (i * 37 - 100));
                case INT16 -> b.putShort((short) (i * 9000 - 30000));
                case INT32 -> b.putInt(i * 600_000_000 - 2_000_000_000);
                case INT64 -> b.putLong(Long.MIN_VALUE / 8 * (i - 4) + i);
                case BOOL -> b.put((byte) (i % 3 == 0 ? 1 : 0));
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return Tensor.ofRaw("x", type, new long[] {2, 4}, b.flip());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE", "FLOAT16", "BFLOAT16", "INT8", "INT16", "INT32",
            "INT64", "UINT8", "BOOL"})
    void identityRoundTripsEveryFeedableDtype(DataType type) {
        Model m = TinyModel.unary("Identity", tensor(type, 2, 4), tensor(type, 2, 4));
        Tensor x = sample(type);
        try (OrtModelRunner r = OrtModelRunner.open(m, CONFIG)) {
            assertEquals(new ValueType.TensorType(type, Shape.of(2, 4)), r.inputs().get("x"));
            Tensor y = r.run(Map.of("x", x)).values().iterator().next();
            assertEquals(type, y.dataType());
            assertArrayEquals(new long[] {2, 4}, y.dims());
            assertTrue(x.contentEquals(y), "bytes must come back unchanged for " + type);
        }
    }

    @Test
    void addComputesForFloatDoubleIntAndHalf() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE, DataType.INT32, DataType.INT64,
                DataType.FLOAT16)) {
            TinyModel tm = new TinyModel();
            Value a = tm.input("a", tensor(type, 3));
            Value b = tm.input("b", tensor(type, 3));
            tm.output(tm.node("Add", tensor(type, 3), a, b));
            try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
                Map<String, Tensor> out = r.run(Map.of("a", of(type, 1, -2, 40), "b", of(type, 0.5, 3, 2)));
                Tensor y = out.get("add_0");
                if (type == DataType.INT32 || type == DataType.INT64) {
                    assertArrayEquals(new long[] {1, 1, 42}, y.toLongArray(), type.toString());
                } else {
                    assertArrayEquals(new double[] {1.5, 1, 42}, y.toDoubleArray(), 0, type.toString());
                }
            }
        }
    }

    /** A 3-element tensor of a numeric type from doubles (integers truncated). */
    private static Tensor of(DataType type, double... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * type.bits() / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            switch (type) {
                case FLOAT -> b.putFloat((float) d);
                case DOUBLE -> b.putDouble(d);
                case FLOAT16 -> b.putShort(HalfPrecision.floatToFloat16((float) d));
                case INT32 -> b.putInt((int) d);
                case INT64 -> b.putLong((long) d);
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return Tensor.ofRaw("t", type, new long[] {v.length}, b.flip());
    }

    @Test
    void matMulGivesTheProduct() {
        TinyModel tm = new TinyModel();
        Value a = tm.input("a", tensor(DataType.FLOAT, 2, 3));
        Value w = tm.initializer(Tensor.ofFloats("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6));
        tm.output(tm.node("MatMul", tensor(DataType.FLOAT, 2, 2), a, w));
        try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
            assertEquals(List.of("a"), List.copyOf(r.inputs().keySet()), "initializers are not inputs");
            Tensor y = r.run(Map.of("a", Tensor.ofFloats("a", new long[] {2, 3}, 1, 0, -1, 2, 1, 0)))
                    .get("matmul_0");
            assertArrayEquals(new float[] {-4, -4, 5, 8}, y.toFloatArray());
        }
    }

    @Test
    void castProducesFloat16AndBfloat16WithTheirRounding() {
        float[] in = {1.5f, -2.25f, 65504f, 1e-8f, 3.14159f};
        for (DataType to : List.of(DataType.FLOAT16, DataType.BFLOAT16)) {
            Model m = TinyModel.unary("Cast", tensor(DataType.FLOAT, 5), tensor(to, 5),
                    Attribute.ofInt("to", to.code()));
            try (OrtModelRunner r = OrtModelRunner.open(m, CONFIG)) {
                Tensor y = r.run(Map.of("x", Tensor.ofFloats("x", new long[] {5}, in))).get("cast_0");
                assertEquals(to, y.dataType());
                ByteBuffer b = y.rawBytes();
                for (int i = 0; i < in.length; i++) {
                    short expected = to == DataType.FLOAT16 ? HalfPrecision.floatToFloat16(in[i])
                            : HalfPrecision.floatToBfloat16(in[i]);
                    assertEquals(expected, b.getShort(2 * i), to + " element " + i);
                }
                assertEquals(1.5f, y.toFloatArray()[0]);
            }
        }
    }

    @Test
    void unsignedOutputsComeBackWithTheirOwnType() {
        long[] values = {0, 5, 4_000_000_000L};
        for (DataType to : List.of(DataType.UINT16, DataType.UINT32, DataType.UINT64)) {
            Model m = TinyModel.unary("Cast", tensor(DataType.INT64, 3), tensor(to, 3),
                    Attribute.ofInt("to", to.code()));
            try (OrtModelRunner r = OrtModelRunner.open(m, CONFIG)) {
                assertEquals(new ValueType.TensorType(to, Shape.of(3)), r.outputs().get("cast_0"));
                Tensor y = r.run(Map.of("x", Tensor.ofLongs("x", new long[] {3}, values))).get("cast_0");
                assertEquals(to, y.dataType());
                long expectedLast = to == DataType.UINT16 ? 4_000_000_000L & 0xffff : 4_000_000_000L;
                assertArrayEquals(new long[] {0, 5, expectedLast}, y.toLongArray(), to.toString());
            }
        }
    }

    @Test
    void unsignedWideFeedsAreRefusedNamingInputAndType() {
        for (DataType type : List.of(DataType.UINT16, DataType.UINT32, DataType.UINT64)) {
            Model m = TinyModel.unary("Identity", tensor(type, 2), tensor(type, 2));
            try (OrtModelRunner r = OrtModelRunner.open(m, CONFIG)) {
                Tensor x = raw("x", type, new long[] {2}, new byte[type.bits() / 4]);
                UnsupportedTensorTypeException e = assertThrows(UnsupportedTensorTypeException.class,
                        () -> r.run(Map.of("x", x)));
                assertEquals("x", e.valueName());
                assertEquals(type, e.dataType());
                assertTrue(e.getMessage().contains("'x' has type " + type), e.getMessage());
            }
        }
    }

    @Test
    void float8FeedIsRefused() {
        TinyModel tm = new TinyModel(21);
        Value x = tm.input("x", tensor(DataType.FLOAT8E4M3FN, 2));
        tm.output(tm.node("Identity", tensor(DataType.FLOAT8E4M3FN, 2), x));
        try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
            Tensor feed = raw("x", DataType.FLOAT8E4M3FN, new long[] {2}, new byte[] {0x38, 0x40});
            UnsupportedTensorTypeException e = assertThrows(UnsupportedTensorTypeException.class,
                    () -> r.run(Map.of("x", feed)));
            assertTrue(e.getMessage().contains("float8e4m3fn"), e.getMessage());
        }
    }

    @Test
    void float8OutputIsRefusedNamingOutputAndType() {
        TinyModel tm = new TinyModel(21);
        Value x = tm.input("x", tensor(DataType.FLOAT, 2));
        tm.output(tm.node("Cast", tensor(DataType.FLOAT8E4M3FN, 2), List.of(x),
                Attribute.ofInt("to", DataType.FLOAT8E4M3FN.code())));
        try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
            assertEquals(new ValueType.TensorType(DataType.FLOAT8E4M3FN, Shape.of(2)), r.outputs().get("cast_0"));
            UnsupportedTensorTypeException e = assertThrows(UnsupportedTensorTypeException.class,
                    () -> r.run(Map.of("x", Tensor.ofFloats("x", new long[] {2}, 1, 2))));
            assertEquals("cast_0", e.valueName());
            assertEquals(DataType.FLOAT8E4M3FN, e.dataType());
        }
    }

    @Test
    void zipMapGivesASequenceOfMaps() {
        TinyModel tm = new TinyModel();
        tm.model.opsetImports().put("ai.onnx.ml", 3);
        Value x = tm.input("x", tensor(DataType.FLOAT, 2, 2));
        io.mconv.ir.Node zip = new io.mconv.ir.Node("ai.onnx.ml", "ZipMap", "zip");
        zip.addInput(x);
        zip.setAttribute(Attribute.ofInts("classlabels_int64s", 7, 9));
        Value out = zip.addOutput(new Value("probs", new ValueType.SequenceType(new ValueType.MapType(
                DataType.INT64, new ValueType.TensorType(DataType.FLOAT, null), null), null)));
        tm.graph.append(zip);
        tm.output(out);
        try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
            RuntimeValue v = r.runValues(Map.of("x", Tensor.ofFloats("x", new long[] {2, 2}, 0.25f, 0.75f, 1, 0)),
                    List.of("probs")).get("probs");
            List<RuntimeValue.MapValue> maps = assertInstanceOf(RuntimeValue.MapSequenceValue.class, v).elements();
            assertEquals(List.of(new RuntimeValue.MapValue(Map.of(7L, 0.25f, 9L, 0.75f)),
                    new RuntimeValue.MapValue(Map.of(7L, 1.0f, 9L, 0.0f))), maps);
        }
    }

    @Test
    void stringIdentityKeepsTextAndShape() {
        Model m = TinyModel.unary("Identity", tensor(DataType.STRING, 2, 2), tensor(DataType.STRING, 2, 2));
        List<byte[]> words = List.of("hello".getBytes(StandardCharsets.UTF_8),
                "wörld ☃".getBytes(StandardCharsets.UTF_8), new byte[0], "x y".getBytes(StandardCharsets.UTF_8));
        Tensor x = Tensor.ofStrings("x", new long[] {2, 2}, words);
        try (OrtModelRunner r = OrtModelRunner.open(m, CONFIG)) {
            Tensor y = r.run(Map.of("x", x)).get("identity_0");
            assertEquals(DataType.STRING, y.dataType());
            assertArrayEquals(new long[] {2, 2}, y.dims());
            assertEquals(List.of("hello", "wörld ☃", "", "x y"), y.stringsUtf8());
        }
    }

    @Test
    void symbolicBatchIsReportedAndRunsAtBatchOneAndThree() {
        TinyModel tm = new TinyModel();
        Value x = tm.input("x", tensor(DataType.FLOAT, "batch", 2));
        Value bias = tm.initializer(Tensor.ofFloats("bias", new long[] {2}, 10, 20));
        tm.output(tm.node("Add", tensor(DataType.FLOAT, "batch", 2), x, bias));
        try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
            ValueType.TensorType in = (ValueType.TensorType) r.inputs().get("x");
            assertEquals(Dim.symbolic("batch"), in.shape().dim(0));
            assertEquals(Dim.of(2), in.shape().dim(1));
            Tensor y1 = r.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 2}, 1, 2))).get("add_0");
            assertArrayEquals(new long[] {1, 2}, y1.dims());
            assertArrayEquals(new float[] {11, 22}, y1.toFloatArray());
            Tensor y3 = r.run(Map.of("x", Tensor.ofFloats("x", new long[] {3, 2}, 1, 2, 3, 4, 5, 6))).get("add_0");
            assertArrayEquals(new long[] {3, 2}, y3.dims());
            assertArrayEquals(new float[] {11, 22, 13, 24, 15, 26}, y3.toFloatArray());
        }
    }

    @Test
    void selectedOutputsOnly() {
        TinyModel tm = new TinyModel();
        Value x = tm.input("x", tensor(DataType.FLOAT, 2));
        Value neg = tm.node("Neg", tensor(DataType.FLOAT, 2), x);
        Value abs = tm.node("Abs", tensor(DataType.FLOAT, 2), x);
        tm.output(neg).output(abs);
        try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
            Map<String, Tensor> out = r.run(Map.of("x", Tensor.ofFloats("x", new long[] {2}, -1, 2)),
                    List.of("abs_1"));
            assertEquals(List.of("abs_1"), List.copyOf(out.keySet()));
            assertArrayEquals(new float[] {1, 2}, out.get("abs_1").toFloatArray());
            assertThrows(IllegalArgumentException.class,
                    () -> r.run(Map.of("x", Tensor.ofFloats("x", new long[] {2}, 1, 2)), List.of("nope")));
        }
    }

    @Test
    void sequenceOutputsComeBackThroughRunValues() {
        TinyModel tm = new TinyModel();
        Value a = tm.input("a", tensor(DataType.FLOAT, 2));
        Value b = tm.input("b", tensor(DataType.FLOAT, 3));
        tm.output(tm.node("SequenceConstruct",
                new ValueType.SequenceType(new ValueType.TensorType(DataType.FLOAT, null), null), a, b));
        Map<String, Tensor> feeds = Map.of("a", Tensor.ofFloats("a", new long[] {2}, 1, 2),
                "b", Tensor.ofFloats("b", new long[] {3}, 3, 4, 5));
        try (OrtModelRunner r = OrtModelRunner.open(tm.model, CONFIG)) {
            assertInstanceOf(ValueType.SequenceType.class, r.outputs().get("sequenceconstruct_0"));
            RuntimeValue v = r.runValues(feeds, r.outputs().keySet()).get("sequenceconstruct_0");
            List<Tensor> seq = assertInstanceOf(RuntimeValue.SequenceValue.class, v).elements();
            assertEquals(2, seq.size());
            assertArrayEquals(new float[] {1, 2}, seq.get(0).toFloatArray());
            assertArrayEquals(new float[] {3, 4, 5}, seq.get(1).toFloatArray());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.run(feeds));
            assertTrue(e.getMessage().contains("runValues"), e.getMessage());
        }
    }

    @Test
    void feedsAreChecked() {
        Model m = TinyModel.unary("Identity", tensor(DataType.FLOAT, 2), tensor(DataType.FLOAT, 2));
        try (OrtModelRunner r = OrtModelRunner.open(m, CONFIG)) {
            Tensor ok = Tensor.ofFloats("x", new long[] {2}, 1, 2);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> r.run(Map.of()))
                    .getMessage().contains("input 'x'"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> r.run(Map.of("x", ok, "z", ok)))
                    .getMessage().contains("'z' is not an input"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> r.run(Map.of("x", Tensor.ofLongs("x", new long[] {2}, 1, 2))))
                    .getMessage().contains("int64"));
            // A wrong shape is ORT's to reject: its message comes through.
            RuntimeFailureException e = assertThrows(RuntimeFailureException.class,
                    () -> r.run(Map.of("x", Tensor.ofFloats("x", new long[] {3}, 1, 2, 3))));
            assertTrue(e.getMessage().contains("dimensions"), e.getMessage());
        }
    }

    @Test
    void unknownOperatorIsARuntimeFailureWithOrtsMessage() {
        Model m = TinyModel.unary("NoSuchOp", tensor(DataType.FLOAT, 2), tensor(DataType.FLOAT, 2));
        RuntimeFailureException e = assertThrows(RuntimeFailureException.class,
                () -> OrtModelRunner.open(m, CONFIG));
        assertTrue(e.getMessage().contains("NoSuchOp"), e.getMessage());
        assertTrue(e.getMessage().startsWith("onnxruntime cannot load"), e.getMessage());
        RuntimeLoadFailureException load = assertInstanceOf(RuntimeLoadFailureException.class, e,
                "refusing the model is a load failure, which commands report as invalid input");
        assertTrue(load.reason().contains("NoSuchOp"), load.reason());
        java.nio.file.Path file = java.nio.file.Path.of("m.onnx");
        assertTrue(load.asInvalidInput(file).getMessage().startsWith("m.onnx: onnxruntime cannot load it: "),
                load.asInvalidInput(file).getMessage());
    }

    @Test
    void typeMismatchInTheGraphIsARuntimeFailure() {
        TinyModel tm = new TinyModel();
        Value a = tm.input("a", tensor(DataType.FLOAT, 2));
        Value b = tm.input("b", tensor(DataType.INT64, 2));
        tm.output(tm.node("Add", tensor(DataType.FLOAT, 2), a, b));
        RuntimeFailureException e = assertThrows(RuntimeFailureException.class,
                () -> OrtModelRunner.open(tm.model, CONFIG));
        assertTrue(e.runtimeCode() != null && e.runtimeCode().startsWith("ORT_"), e.runtimeCode());
    }

    @Test
    void garbageFileIsARuntimeFailure(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.onnx");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        RuntimeFailureException e = assertThrows(RuntimeFailureException.class,
                () -> OrtModelRunner.open(f, CONFIG));
        assertEquals("ORT_INVALID_PROTOBUF", e.runtimeCode());
        assertTrue(e.getMessage().toLowerCase().contains("protobuf"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void profilingWritesAFile(@TempDir Path dir) {
        Model m = TinyModel.unary("Relu", tensor(DataType.FLOAT, 2), tensor(DataType.FLOAT, 2));
        OrtSessionConfig cfg = CONFIG.withProfiling(dir.resolve("prof").toString());
        try (OrtModelRunner r = OrtModelRunner.open(m, cfg)) {
            r.run(Map.of("x", Tensor.ofFloats("x", new long[] {2}, -1, 1)));
            Path p = r.endProfiling().orElseThrow();
            assertTrue(Files.exists(p) || Files.exists(Path.of("").resolve(p)), p.toString());
            assertTrue(p.getFileName().toString().startsWith("prof"), p.toString());
        }
        try (OrtModelRunner r = OrtModelRunner.open(m, CONFIG)) {
            assertTrue(r.endProfiling().isEmpty());
            assertTrue(r.describe().startsWith("onnxruntime 1.29"), r.describe());
        }
    }
}
