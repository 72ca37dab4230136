package io.mconv.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.AttributeKind;
import io.mconv.schema.FormalParameter.Option;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Facts of the ONNX operator spec (ONNX 1.16: ai.onnx opset 21, ai.onnx.ml opset 5) checked against the registry. */
class OpSchemaRegistryTest {
    private final OpSchemaRegistry reg = OpSchemaRegistry.standard();

    private OpSchema exact(String domain, String op, int since) {
        OpSchema s = reg.get(domain, op, since).orElseThrow(() -> new AssertionError(op + "-" + since + " missing"));
        assertEquals(since, s.sinceVersion(), op + ": no version " + since);
        return s;
    }

    private List<Integer> sinceVersions(String domain, String op) {
        return reg.versions(domain, op).stream().map(OpSchema::sinceVersion).toList();
    }

    private static Object defaultOf(OpSchema s, String attr) {
        return s.attribute(attr).orElseThrow().defaultValue().orElseThrow();
    }

    @Test
    void counts() {
        int available = 0;
        int deprecated = 0;
        for (String op : reg.operators("")) {
            OpSchema s = reg.get("", op, 21).orElseThrow();
            available++;
            if (s.deprecated()) {
                deprecated++;
            }
        }
        int onnxVersions = reg.operators("ai.onnx").stream().mapToInt(op -> reg.versions("", op).size()).sum();
        int mlVersions = reg.operators("ai.onnx.ml").stream().mapToInt(op -> reg.versions("ai.onnx.ml", op).size()).sum();
        System.out.printf("ai.onnx: %d operators at opset 21 (%d of them deprecated: Scatter, Upsample), %d version entries%n",
                available, deprecated, onnxVersions);
        System.out.printf("ai.onnx.ml: %d operators at opset %d, %d version entries; total %d version entries%n",
                reg.operators("ai.onnx.ml").size(), reg.maxOpset("ai.onnx.ml"), mlVersions, reg.all().size());
        assertEquals(193, available);
        assertEquals(2, deprecated);
        assertEquals(494, onnxVersions);
        assertEquals(19, reg.operators("ai.onnx.ml").size());
        assertEquals(25, mlVersions);
        assertEquals(519, reg.all().size());
        assertEquals(Set.of("ai.onnx", "ai.onnx.ml"), reg.domains());
        assertEquals(21, reg.maxOpset(""));
        assertEquals(21, reg.maxOpset("ai.onnx"));
        assertEquals(5, reg.maxOpset("ai.onnx.ml"));
        assertEquals(0, reg.maxOpset("com.microsoft"));
    }

    @Test
    void conv() {
        assertEquals(List.of(1, 11), sinceVersions("", "Conv"));
        for (int v : new int[] {1, 11}) {
            OpSchema conv = exact("", "Conv", v);
            assertEquals("NOTSET", defaultOf(conv, "auto_pad"));
            assertEquals(1L, defaultOf(conv, "group"));
            assertEquals(AttributeKind.INTS, conv.attribute("kernel_shape").orElseThrow().kind());
            assertTrue(conv.attribute("kernel_shape").orElseThrow().defaultValue().isEmpty());
            assertFalse(conv.attribute("pads").orElseThrow().required());
            assertEquals(List.of("X", "W", "B"), conv.inputs().stream().map(FormalParameter::name).toList());
            assertEquals(Option.OPTIONAL, conv.inputs().get(2).option());
            assertEquals(Option.SINGLE, conv.inputs().get(0).option());
            assertEquals(2, conv.minInputs());
            assertEquals(3, conv.maxInputs());
            assertEquals(1, conv.minOutputs());
            assertEquals(1, conv.maxOutputs());
            assertEquals(Set.of("tensor(float16)", "tensor(float)", "tensor(double)"),
                    conv.typeConstraint("T").orElseThrow().allowedTypes());
        }
        assertEquals(List.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"),
                List.copyOf(exact("", "Conv", 11).attributes().keySet()));
    }

    @Test
    void concatIsVariadic() {
        OpSchema concat = exact("", "Concat", 13);
        FormalParameter inputs = concat.inputs().get(0);
        assertEquals(Option.VARIADIC, inputs.option());
        assertTrue(inputs.homogeneous());
        assertEquals(1, inputs.minArity());
        assertEquals(1, concat.minInputs());
        assertEquals(OpSchema.UNBOUNDED, concat.maxInputs());
        assertTrue(concat.attribute("axis").orElseThrow().required());
        assertSame(inputs, concat.inputAt(7).orElseThrow());
        // Loop's carried values are heterogeneous and may be absent entirely.
        FormalParameter vInitial = exact("", "Loop", 16).inputs().get(2);
        assertEquals(Option.VARIADIC, vInitial.option());
        assertFalse(vInitial.homogeneous());
        assertEquals(0, vInitial.minArity());
        assertEquals(2, exact("", "Loop", 16).minInputs());
    }

    @Test
    void reshapeSoftmaxLeakyRelu() {
        assertEquals(List.of(1, 5, 13, 14, 19, 21), sinceVersions("", "Reshape"));
        assertEquals(0L, defaultOf(exact("", "Reshape", 14), "allowzero"));
        assertTrue(exact("", "Reshape", 13).attribute("allowzero").isEmpty());

        assertEquals(1L, defaultOf(exact("", "Softmax", 1), "axis"));
        assertEquals(1L, defaultOf(exact("", "Softmax", 11), "axis"));
        assertEquals(-1L, defaultOf(exact("", "Softmax", 13), "axis"));

        AttributeSchema alpha = exact("", "LeakyRelu", 16).attribute("alpha").orElseThrow();
        assertEquals(AttributeKind.FLOAT, alpha.kind());
        assertEquals(0.01f, alpha.defaultValue().orElseThrow());
        assertEquals(Float.MAX_VALUE, defaultOf(exact("", "Clip", 6), "max"));
        assertEquals(-Float.MAX_VALUE, defaultOf(exact("", "Clip", 6), "min"));
    }

    @Test
    void resizeSplitPad() {
        assertEquals(List.of(10, 11, 13, 18, 19), sinceVersions("", "Resize"));
        OpSchema resize19 = exact("", "Resize", 19);
        assertEquals("half_pixel", defaultOf(resize19, "coordinate_transformation_mode"));
        assertEquals(-0.75f, defaultOf(resize19, "cubic_coeff_a"));
        assertEquals("stretch", defaultOf(resize19, "keep_aspect_ratio_policy"));

        assertEquals(List.of(1, 2, 11, 13, 18), sinceVersions("", "Split"));
        AttributeSchema numOutputs = exact("", "Split", 18).attribute("num_outputs").orElseThrow();
        assertEquals(AttributeKind.INT, numOutputs.kind());
        assertFalse(numOutputs.required());
        assertTrue(numOutputs.defaultValue().isEmpty());
        assertTrue(exact("", "Split", 13).attribute("num_outputs").isEmpty());

        assertEquals(List.of(1, 2, 11, 13, 18, 19, 21), sinceVersions("", "Pad"));
        OpSchema pad18 = exact("", "Pad", 18);
        assertEquals(List.of("data", "pads", "constant_value", "axes"),
                pad18.inputs().stream().map(FormalParameter::name).toList());
        assertEquals(Option.OPTIONAL, pad18.inputs().get(3).option());
        assertEquals("constant", defaultOf(pad18, "mode"));
        assertEquals("constant", defaultOf(exact("", "Pad", 19), "mode"));
        assertFalse(exact("", "Pad", 19).typeConstraint("T").orElseThrow().allows("tensor(int4)"));
        assertTrue(exact("", "Pad", 21).typeConstraint("T").orElseThrow().allows("tensor(int4)"));
        assertTrue(exact("", "Pad", 21).typeConstraint("T").orElseThrow().allows("tensor(float8e4m3fn)"));
    }

    @Test
    void newerOperators() {
        assertEquals(List.of(17), sinceVersions("", "LayerNormalization"));
        OpSchema ln = exact("", "LayerNormalization", 17);
        assertEquals(-1L, defaultOf(ln, "axis"));
        assertEquals(1e-5f, defaultOf(ln, "epsilon"));
        assertEquals(1, ln.minOutputs());
        assertEquals(3, ln.maxOutputs());

        assertEquals(List.of(20), sinceVersions("", "Gelu"));
        assertEquals("none", defaultOf(exact("", "Gelu", 20), "approximate"));
    }

    @Test
    void requiredAttributesAndTypeConstraints() {
        AttributeSchema to = exact("", "Cast", 13).attribute("to").orElseThrow();
        assertTrue(to.required());
        assertEquals(AttributeKind.INT, to.kind());
        assertTrue(to.defaultValue().isEmpty());
        assertEquals(AttributeKind.GRAPH, exact("", "If", 16).attribute("then_branch").orElseThrow().kind());

        TypeConstraint relu14 = exact("", "Relu", 14).typeConstraint("T").orElseThrow();
        assertTrue(relu14.allows("tensor(int8)"));
        assertTrue(relu14.allows("tensor(bfloat16)"));
        assertFalse(exact("", "Relu", 13).typeConstraint("T").orElseThrow().allows("tensor(int8)"));

        assertTrue(exact("", "SequenceAt", 11).typeConstraint("S").orElseThrow().allows("seq(tensor(float))"));
        assertTrue(exact("", "Optional", 15).typeConstraint("O").orElseThrow().allows("optional(seq(tensor(int64)))"));
        assertEquals(List.of(0L, 2L, 3L), toList((long[]) defaultOf(exact("", "MeanVarianceNormalization", 13), "axes")));
        assertEquals(List.of("Tanh", "Tanh"), defaultOf(exact("", "RNN", 14), "activations"));
    }

    private static List<Long> toList(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    @Test
    void deprecatedVersionsKeepTheirSignature() {
        OpSchema upsample10 = exact("", "Upsample", 10);
        assertTrue(upsample10.deprecated());
        assertEquals("nearest", defaultOf(upsample10, "mode"));
        assertEquals(2, upsample10.inputs().size());
        assertTrue(exact("", "Scatter", 11).deprecated());
        assertFalse(exact("", "Scatter", 9).deprecated());
        assertTrue(reg.get("", "Upsample", 21).orElseThrow().deprecated());
    }

    @Test
    void mlOperators() {
        assertEquals(List.of(1, 3, 5), sinceVersions("ai.onnx.ml", "TreeEnsembleClassifier"));
        OpSchema tec3 = exact("ai.onnx.ml", "TreeEnsembleClassifier", 3);
        assertEquals("NONE", defaultOf(tec3, "post_transform"));
        assertEquals(AttributeKind.TENSOR, tec3.attribute("nodes_values_as_tensor").orElseThrow().kind());
        assertEquals(2, tec3.outputs().size());
        assertTrue(exact("ai.onnx.ml", "TreeEnsembleClassifier", 5).deprecated());

        assertEquals(List.of(1, 2, 4), sinceVersions("ai.onnx.ml", "LabelEncoder"));
        OpSchema le4 = exact("ai.onnx.ml", "LabelEncoder", 4);
        assertEquals(-1L, defaultOf(le4, "default_int64"));
        assertEquals("_Unused", defaultOf(le4, "default_string"));
        Object negZero = defaultOf(le4, "default_float");
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) negZero));
        assertEquals(AttributeKind.TENSOR, le4.attribute("keys_tensor").orElseThrow().kind());
        assertTrue(le4.typeConstraint("T1").orElseThrow().allows("tensor(int16)"));
        assertTrue(exact("ai.onnx.ml", "ZipMap", 1).typeConstraint("T").orElseThrow()
                .allows("seq(map(string, float))"));
    }

    @Test
    void lookup() {
        assertEquals(11, reg.get("", "Conv", 13).orElseThrow().sinceVersion());
        assertEquals(11, reg.get("ai.onnx", "Conv", 13).orElseThrow().sinceVersion());
        assertEquals(1, reg.get("", "Conv", 10).orElseThrow().sinceVersion());
        assertTrue(reg.get("", "Gelu", 17).isEmpty());
        assertTrue(reg.get("", "Conv", 0).isEmpty());
        assertTrue(reg.get("", "NoSuchOp", 21).isEmpty());
        assertTrue(reg.get("com.microsoft", "Gelu", 1).isEmpty());
        assertTrue(reg.get("ai.onnx.ml", "Conv", 21).isEmpty());
        assertEquals("ai.onnx", reg.get("", "Conv", 13).orElseThrow().domain());
        assertSame(reg, OpSchemaRegistry.standard());
        assertThrows(UnsupportedOperationException.class, () -> reg.versions("", "Conv").clear());
    }

    @Test
    void extensionPoint() throws IOException {
        OpSchema contrib = new OpSchema("com.example", "Twice", 1, false,
                List.of(FormalParameter.single("X", "T")), List.of(FormalParameter.single("Y", "T")),
                List.of(AttributeSchema.withDefault("factor", AttributeKind.FLOAT, 2.0f)),
                List.of(new TypeConstraint("T", Set.of("tensor(float)"))), 1, 1, 1, 1);
        OpSchemaRegistry extended = reg.withAdditional(List.of(contrib));
        assertEquals(2.0f, extended.get("com.example", "Twice", 1).orElseThrow()
                .attribute("factor").orElseThrow().defaultValue().orElseThrow());
        assertEquals(11, extended.get("", "Conv", 21).orElseThrow().sinceVersion());
        assertEquals(21, extended.maxOpset(""));
        assertTrue(reg.get("com.example", "Twice", 1).isEmpty(), "the standard registry is unchanged");
        assertThrows(IllegalArgumentException.class, () -> extended.withAdditional(List.of(contrib)));

        String text = "VERSION\t1\nTS\t0\ttensor(float)\ttensor(double)\nOP\tcom.example\tPair\t2\t0\t1\t2147483647\t1\t1\n"
                + "IN\txs\tT\tV\t0\t1\nOUT\ty\ttensor(int64)\tS\nAT\tnames\tstrings\tD\ta\\tb\tc\n"
                + "AT\tw\tfloats\tD\nTC\tT\t0\n";
        OpSchemaRegistry fromText = OpSchemaRegistry.builder()
                .load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "inline").build();
        OpSchema pair = fromText.get("com.example", "Pair", 9).orElseThrow();
        assertFalse(pair.inputs().get(0).homogeneous());
        assertEquals(List.of("a\tb", "c"), defaultOf(pair, "names"));
        assertArrayEquals(new float[0], (float[]) defaultOf(pair, "w"));
        assertEquals(List.of("tensor(float)", "tensor(double)"),
                List.copyOf(pair.typeConstraint("T").orElseThrow().allowedTypes()));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> OpSchemaRegistry.builder()
                .load(new ByteArrayInputStream("VERSION\t1\nOP\td\tX\t1\t0\t1\t1\t1\t1\nIN\tx\tT\tS\n"
                        .getBytes(StandardCharsets.UTF_8)), "bad.txt"));
        assertTrue(bad.getMessage().startsWith("bad.txt:2:"), bad.getMessage());
    }

    @Test
    void defaultArraysAreCopies() {
        long[] axes = (long[]) defaultOf(exact("", "MeanVarianceNormalization", 13), "axes");
        axes[0] = 99;
        assertEquals(0L, ((long[]) defaultOf(exact("", "MeanVarianceNormalization", 13), "axes"))[0]);
    }

    @Test
    void loadingTime() throws IOException {
        OpSchemaRegistry.standard();
        long first = OpSchemaRegistry.standardLoadNanos();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            try (InputStream in = OpSchemaRegistry.class.getResourceAsStream(OpSchemaRegistry.STANDARD_RESOURCE)) {
                OpSchemaRegistry.builder().load(in, "standard").build();
            }
            best = Math.min(best, System.nanoTime() - t);
        }
        System.out.printf("schema load: first standard() call (cold JVM) %.1f ms, fresh parse best of 5:"
                + " %.1f ms%n", first / 1e6, best / 1e6);
        assertTrue(best < 100_000_000L, "parsing the standard schemas took " + best / 1e6 + " ms");
    }
}
