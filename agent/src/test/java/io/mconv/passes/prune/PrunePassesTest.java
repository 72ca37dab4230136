package io.mconv.passes.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pruning passes on small built models: counts, shapes after, ONNX Runtime numbers, refusals, idempotence. */
class PrunePassesTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.ORT);

    /** Runs the pass, checks the IR, runs it again (must change nothing) and returns the first result. */
    private static PassResult apply(Pass pass, Model m) {
        PassResult first = pass.run(m, CTX);
        GraphVerifier.verify(m);
        assertEquals(0, pass.run(m, CTX).rewrites(), "a second run of " + pass.name() + " must change nothing");
        return first;
    }

    /** The worst output comparison of the two models in ONNX Runtime on seeded inputs. */
    private static ComparisonResult compare(Model before, Model after) {
        try (OrtModelRunner a = OrtModelRunner.open(before, OrtSessionConfig.forValidation());
             OrtModelRunner b = OrtModelRunner.open(after, OrtSessionConfig.forValidation())) {
            Map<String, Tensor> feeds = new RandomInputs(5).generate(a.inputs(), Map.of());
            Map<String, Tensor> want = a.run(feeds);
            Map<String, Tensor> got = b.run(feeds);
            ComparisonResult worst = null;
            for (String k : want.keySet()) {
                ComparisonResult c = TensorComparison.compare(k, want.get(k), got.get(k), Tolerance.FP32);
                if (worst == null || c.cosineSimilarity() < worst.cosineSimilarity()) {
                    worst = c;
                }
            }
            return worst;
        }
    }

    private static long zeros(Value v) {
        long z = 0;
        for (float f : v.constValue().toFloatArray()) {
            if (f == 0) {
                z++;
            }
        }
        return z;
    }

    private static long[] dims(Model m, String initializer) {
        return m.graph().initializers().get(initializer).constValue().dims();
    }

    private static Attribute[] conv3x3() {
        return new Attribute[] {Attribute.ofInts("kernel_shape", 3, 3), Attribute.ofInts("pads", 1, 1, 1, 1)};
    }

    /** x[1,3,8,8] ─► Conv w1[8,3,3,3] ─► Relu ─► Conv w2[4,8,3,3] ─► Flatten ─► Gemm(transB) w3[5,256] ─► MatMul w4[5,6]. */
    private static Model threeKinds() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value c1 = b.nodeWith("Conv", conv3x3(), x, b.weight("w1", 8, 3, 3, 3), b.weight("b1", 8));
        Value c2 = b.nodeWith("Conv", conv3x3(), b.node("Relu", c1), b.weight("w2", 4, 8, 3, 3));
        Value f = b.node("Flatten", c2);
        Value g = b.nodeWith("Gemm", new Attribute[] {Attribute.ofInt("transB", 1)}, f, b.weight("w3", 5, 256));
        b.output(b.node("MatMul", g, b.weight("w4", 5, 6)), DataType.FLOAT, 1, 6);
        return b.model();
    }

    @Test
    void magnitudeZeroesTheSmallestHalfOfEveryLayer() {
        Model m = threeKinds();
        Model before = ModelCopier.copy(m);
        PassResult r = apply(new MagnitudePrune(new Sparsity(0.5)), m);
        assertEquals(4, r.rewrites());
        assertTrue(r.diagnostics().isEmpty(), r.toString());
        for (String w : new String[] {"w1", "w2", "w3", "w4"}) {
            Value v = m.graph().initializers().get(w);
            long n = v.constValue().elementCount();
            assertEquals(n / 2, zeros(v), w);
            assertArrayEquals(before.graph().initializers().get(w).constValue().dims(), v.constValue().dims(), w);
            float[] was = before.graph().initializers().get(w).constValue().toFloatArray();
            float[] now = v.constValue().toFloatArray();
            float largestZeroed = 0;
            float smallestKept = Float.MAX_VALUE;
            for (int i = 0; i < was.length; i++) {
                if (now[i] == 0) {
                    largestZeroed = Math.max(largestZeroed, Math.abs(was[i]));
                } else {
                    assertEquals(was[i], now[i], w + " keeps its large weights unchanged");
                    smallestKept = Math.min(smallestKept, Math.abs(was[i]));
                }
            }
            assertTrue(largestZeroed <= smallestKept, w + ": " + largestZeroed + " > " + smallestKept);
        }
        assertEquals(0, zeros(m.graph().initializers().get("b1")), "biases are not pruned");
        double cos = compare(before, m).cosineSimilarity();
        assertTrue(cos < 0.999 && cos > 0, "half the weights gone changes the output: " + cos);
    }

    @Test
    void magnitudeTowardsZeroSparsityConvergesOnTheOriginal() {
        Model original = threeKinds();
        Model tiny = ModelCopier.copy(original);
        assertEquals(0, new MagnitudePrune(new Sparsity(1e-9)).run(tiny, CTX).rewrites());
        ComparisonResult same = compare(original, tiny);
        assertEquals(0.0, same.maxAbsError(), "nothing pruned: bit-identical outputs");
        double previous = 1.0;
        for (double s : new double[] {0.01, 0.2, 0.8}) {
            Model m = ModelCopier.copy(original);
            // w4 has 30 weights: 1% of it rounds down to none
            assertEquals(s == 0.01 ? 3 : 4, new MagnitudePrune(new Sparsity(s)).run(m, CTX).rewrites());
            double cos = compare(original, m).cosineSimilarity();
            assertTrue(cos < previous, "sparsity " + s + ": cosine " + cos + " should fall below " + previous);
            if (s == 0.01) {
                assertTrue(cos > 0.9999, "1% smallest weights barely matter: " + cos);
            }
            previous = cos;
        }
    }

    @Test
    void nothingToPruneCountsZero() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 2, 4);
        b.output(b.node("Relu", b.node("Add", x, b.weight("c", 4))), DataType.FLOAT, 2, 4);
        Model m = b.model();
        for (Pass p : new Pass[] {new MagnitudePrune(new Sparsity(0.5)), new ChannelPrune(new Sparsity(0.5))}) {
            PassResult r = apply(p, m);
            assertEquals(0, r.rewrites(), p.name());
            assertTrue(r.diagnostics().isEmpty(), r.toString());
        }
        assertEquals(0, zeros(m.graph().initializers().get("c")));
        assertThrows(IllegalArgumentException.class, () -> new Sparsity(0));
        assertThrows(IllegalArgumentException.class, () -> new Sparsity(1));
    }

    /**
     * Conv w1[8,3,3,3] ─► BatchNormalization ─► Relu ─► Conv w2[6,8,3,3] ─► y, where filters 1, 3, 4 and 6 of w1 are
     * all zero with bias 0, and their BatchNormalization shift is −0.5: after the Relu those channels are exactly 0,
     * so removing them (they have the smallest L1 norm) must keep the output.
     */
    private static Model chainWithDeadChannels() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value w1 = b.weight("w1", 8, 3, 3, 3);
        float[] w = w1.constValue().toFloatArray();
        float[] bias = new float[8];
        float[] beta = new float[8];
        int[] dead = {1, 3, 4, 6};
        for (int o = 0; o < 8; o++) {
            bias[o] = 0.1f * (o + 1);
            beta[o] = 0.2f;
        }
        for (int o : dead) {
            java.util.Arrays.fill(w, o * 27, (o + 1) * 27, 0f);
            bias[o] = 0;
            beta[o] = -0.5f;
        }
        w1.setConstValue(Tensor.ofFloats("w1", new long[] {8, 3, 3, 3}, w));
        Value c1 = b.nodeWith("Conv", conv3x3(), x, w1, b.constant(Tensor.ofFloats("b1", new long[] {8}, bias)));
        float[] ones = new float[8];
        java.util.Arrays.fill(ones, 1.5f);
        float[] var = new float[8];
        java.util.Arrays.fill(var, 1f);
        Value bn = b.node("BatchNormalization", c1, b.constant(Tensor.ofFloats("gamma", new long[] {8}, ones)),
                b.constant(Tensor.ofFloats("beta", new long[] {8}, beta)),
                b.constant(Tensor.ofFloats("mean", new long[] {8}, new float[8])),
                b.constant(Tensor.ofFloats("var", new long[] {8}, var)));
        Value relu = b.node("Relu", bn);
        relu.setType(new io.mconv.ir.ValueType.TensorType(DataType.FLOAT, io.mconv.ir.Shape.of(1, 8, 8, 8)));
        b.output(b.nodeWith("Conv", conv3x3(), relu, b.weight("w2", 6, 8, 3, 3)), DataType.FLOAT, 1, 6, 8, 8);
        return b.model();
    }

    @Test
    void channelsRemovedThroughBatchNormAndReluKeepTheOutputWhenTheyWereDead() {
        Model m = chainWithDeadChannels();
        Model before = ModelCopier.copy(m);
        PassResult r = apply(new ChannelPrune(new Sparsity(0.5)), m);
        assertEquals(1, r.rewrites(), r.toString());
        assertEquals(1, r.diagnostics().size(), r.toString());
        assertTrue(r.diagnostics().get(0).contains("graph output"), "the last Conv feeds the output: " + r);
        assertArrayEquals(new long[] {4, 3, 3, 3}, dims(m, "w1"));
        assertArrayEquals(new long[] {6, 4, 3, 3}, dims(m, "w2"));
        Node bn = m.graph().nodes().stream().filter(n -> n.opType().equals("BatchNormalization")).findFirst()
                .orElseThrow();
        for (int i = 1; i < 5; i++) {
            assertArrayEquals(new long[] {4}, bn.input(i).constValue().dims(), "BatchNormalization input " + i);
        }
        Node conv1 = m.graph().nodes().get(0);
        assertArrayEquals(new float[] {0.1f * 1, 0.1f * 3, 0.1f * 6, 0.1f * 8},
                conv1.input(2).constValue().toFloatArray(), 1e-7f, "the live channels 0, 2, 5, 7 stay");
        assertEquals("8", conv1.metadata().get(ChannelPrune.ORIGINAL_CHANNELS));
        assertEquals(4L, m.graph().nodes().stream().filter(n -> n.opType().equals("Relu")).findFirst().orElseThrow()
                .output(0).shape().dim(1).value());
        assertEquals(java.util.Set.of("w1", "w2", "b1_pruned", "gamma_pruned", "beta_pruned", "mean_pruned",
                "var_pruned"), m.graph().initializers().keySet(), "the unsliced originals are gone");
        ComparisonResult c = compare(before, m);
        assertTrue(c.maxAbsError() <= 1e-5, "dead channels removed: same output, max abs " + c.maxAbsError());
    }

    @Test
    void liveChannelsRemovedChangeTheOutputButItStillRuns() {
        Model m = chainWithDeadChannels();
        Model before = ModelCopier.copy(m);
        assertEquals(1, apply(new ChannelPrune(new Sparsity(0.75)), m).rewrites());
        assertArrayEquals(new long[] {2, 3, 3, 3}, dims(m, "w1"));
        ComparisonResult c = compare(before, m);
        assertTrue(c.maxAbsError() > 1e-3 && c.cosineSimilarity() > 0, c.toString());
        // a higher sparsity on the pruned model prunes on from the recorded original count (8 → 2 → 1)
        assertEquals(1, new ChannelPrune(new Sparsity(0.9)).run(m, CTX).rewrites());
        assertArrayEquals(new long[] {1, 3, 3, 3}, dims(m, "w1"));
        GraphVerifier.verify(m);
    }

    /** Gemm(transB, C) ─► Add(bias) ─► erf-Gelu (x · (1 + erf(x/√2)) · 0.5) ─► MatMul ─► y: the MLP of a transformer. */
    @Test
    void gemmAndMatMulRegionThroughDecomposedGelu() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 3, 16);
        Value h = b.nodeWith("Gemm", new Attribute[] {Attribute.ofInt("transB", 1)}, x, b.weight("w1", 32, 16),
                b.weight("c1", 32));
        Value biased = b.node("Add", b.weight("bias", 32), h);
        Value erf = b.node("Erf", b.node("Div", biased, b.constant(Tensor.ofFloats("sqrt2", new long[0], 1.4142135f))));
        Value gelu = b.node("Mul", b.node("Mul", biased, b.node("Add", erf, b.constant(Tensor.ofFloats("one",
                new long[0], 1f)))), b.constant(Tensor.ofFloats("half", new long[0], 0.5f)));
        Value y = b.node("MatMul", gelu, b.weight("w2", 32, 8));
        b.output(b.node("Add", y, b.weight("b2", 8)), DataType.FLOAT, 3, 8);
        Model m = b.model();
        Model before = ModelCopier.copy(m);
        PassResult r = apply(new ChannelPrune(new Sparsity(0.25)), m);
        assertEquals(1, r.rewrites(), r.toString());
        assertTrue(r.diagnostics().get(0).contains("graph output"), r.toString());
        assertArrayEquals(new long[] {24, 16}, dims(m, "w1"), "transB weight: output channels on axis 0");
        assertArrayEquals(new long[] {24, 8}, dims(m, "w2"), "MatMul weight: input channels on axis 0");
        assertEquals(2, m.graph().initializers().keySet().stream()
                .filter(k -> k.startsWith("c1_pruned") || k.startsWith("bias_pruned")).count());
        assertTrue(m.graph().initializers().containsKey("one"), "scalar constants stay shared");
        double cos = compare(before, m).cosineSimilarity();
        assertTrue(cos > 0.5 && cos < 1, "a quarter of the hidden units gone: cosine " + cos);
    }

    private static PassResult refused(Model m) {
        Model before = ModelCopier.copy(m);
        PassResult r = new ChannelPrune(new Sparsity(0.5)).run(m, CTX);
        GraphVerifier.verify(m);
        assertEquals(0, r.rewrites(), r.toString());
        assertEquals(0.0, compare(before, m).maxAbsError(), "a refused model is unchanged");
        return r;
    }

    private static boolean anyContains(PassResult r, String text) {
        return r.diagnostics().stream().anyMatch(d -> d.contains(text));
    }

    @Test
    void residualAddConcatFlattenAndGraphOutputAreRefused() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 6, 6);
        Value c = b.nodeWith("Conv", conv3x3(), x, b.weight("w", 4, 4, 3, 3));
        Value res = b.node("Add", b.node("Relu", c), x);
        b.output(b.nodeWith("Conv", conv3x3(), res, b.weight("w_out", 2, 4, 3, 3)), DataType.FLOAT, 1, 2, 6, 6);
        PassResult r = refused(b.model());
        assertTrue(anyContains(r, "a residual Add with 'x'"), r.toString());

        ModelBuilder cb = new ModelBuilder(13);
        Value cx = cb.input("x", DataType.FLOAT, 1, 4, 6, 6);
        Value cc = cb.nodeWith("Conv", conv3x3(), cx, cb.weight("w", 4, 4, 3, 3));
        Value cat = cb.nodeWith("Concat", new Attribute[] {Attribute.ofInt("axis", 1)}, cc, cx);
        cb.output(cb.nodeWith("Conv", conv3x3(), cat, cb.weight("w_out", 2, 8, 3, 3)), DataType.FLOAT, 1, 2, 6, 6);
        assertTrue(anyContains(refused(cb.model()), "(Concat): concatenated channels would shift"));

        ModelBuilder fb = new ModelBuilder(13);
        Value fx = fb.input("x", DataType.FLOAT, 1, 4, 2, 2);
        Value fc = fb.nodeWith("Conv", conv3x3(), fx, fb.weight("w", 4, 4, 3, 3));
        fb.output(fb.node("MatMul", fb.node("Flatten", fc), fb.weight("w_out", 16, 3)), DataType.FLOAT, 1, 3);
        assertTrue(anyContains(refused(fb.model()), "(Flatten), whose fixed shape counts the channels"));
    }

    @Test
    void sharedAndNonConstantWeightsAreRefusedByBothPasses() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 2, 8);
        Value z = b.input("z", DataType.FLOAT, 8, 8);
        Value w = b.weight("w", 8, 8);
        Value tied = b.node("MatMul", b.node("MatMul", x, w), w);
        b.output(b.node("MatMul", tied, z), DataType.FLOAT, 2, 8);
        Model m = b.model();
        PassResult structured = refused(m);
        assertTrue(anyContains(structured, "weight 'w' is shared with 1 other node(s)"), structured.toString());
        assertTrue(anyContains(structured, "weight 'z' is not a constant initializer"), structured.toString());
        PassResult unstructured = new MagnitudePrune(new Sparsity(0.5)).run(m, CTX);
        assertEquals(0, unstructured.rewrites());
        assertEquals(3, unstructured.diagnostics().size(), unstructured.toString());
        assertEquals(0, zeros(m.graph().initializers().get("w")));
    }

    @Test
    void groupedConvIsNeitherPrunedNorRewrittenAsAConsumer() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 6, 6);
        Value c = b.nodeWith("Conv", conv3x3(), x, b.weight("w", 4, 4, 3, 3));
        Attribute[] depthwise = {Attribute.ofInts("kernel_shape", 3, 3), Attribute.ofInts("pads", 1, 1, 1, 1),
                Attribute.ofInt("group", 4)};
        Value dw = b.nodeWith("Conv", depthwise, b.node("Relu", c), b.weight("dw", 4, 1, 3, 3));
        b.output(b.node("Relu", dw), DataType.FLOAT, 1, 4, 6, 6);
        PassResult r = refused(b.model());
        assertTrue(anyContains(r, "a grouped Conv (group 4)"), r.toString());
    }
}
