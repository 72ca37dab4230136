package io.mconv.passes.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quantization passes on small built models: structure, ONNX Runtime numbers, refusals, idempotence. */
class QuantizePassesTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.ORT);

    private static DynamicQuantConfig dynamic(QuantFormat f, boolean perChannel) {
        return DynamicQuantConfig.defaults().withFormat(f).withPerChannel(perChannel).withReduceRange(true);
    }

    /** Runs the pass, checks the IR, runs it again (must change nothing) and returns the first result. */
    private static PassResult apply(Pass pass, Model m) {
        PassResult first = pass.run(m, CTX);
        GraphVerifier.verify(m);
        assertEquals(0, pass.run(m, CTX).rewrites(), "second run of " + pass.name() + " must change nothing");
        return first;
    }

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path dir;

    private static final List<java.nio.file.Path> WRITTEN = new java.util.ArrayList<>();

    /**
     * Every quantized model these tests measure goes through onnx.checker at the end, except opset-21 ones
     * (blocked int4 DequantizeLinear): onnx 1.12 knows opsets up to 17 and cannot check them.
     */
    @org.junit.jupiter.api.AfterAll
    static void everyQuantizedModelPassesOnnxChecker() throws Exception {
        assertTrue(WRITTEN.size() >= 8, WRITTEN.toString());
        io.mconv.agent.quantize.OnnxCheckScriptAccess.assertValid(WRITTEN);
    }

    private static double cosine(Model before, Model after) {
        if (after.opsetVersion("") <= 17) {
            try {
                java.nio.file.Path out = dir.resolve("m" + WRITTEN.size() + ".onnx");
                new io.mconv.agent.model.ModelSaver().save(ModelCopier.copy(after), out,
                        io.mconv.onnx.io.WriteOptions.defaults());
                WRITTEN.add(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        try (OrtModelRunner a = OrtModelRunner.open(before, OrtSessionConfig.forValidation());
             OrtModelRunner b = OrtModelRunner.open(after, OrtSessionConfig.forValidation())) {
            Map<String, Tensor> feeds = new RandomInputs(3).generate(a.inputs(), Map.of());
            Map<String, Tensor> want = a.run(feeds);
            Map<String, Tensor> got = b.run(feeds);
            double worst = 1;
            for (String k : want.keySet()) {
                worst = Math.min(worst, TensorComparison.compare(k, want.get(k), got.get(k), Tolerance.INT8)
                        .cosineSimilarity());
            }
            return worst;
        }
    }

    private static long count(Model m, String op) {
        return m.graph().nodes().stream().filter(n -> n.opType().equals(op)).count();
    }

    private static Model matmul(int opset, int k, int n) {
        ModelBuilder b = new ModelBuilder(opset);
        Value x = b.input("x", DataType.FLOAT, 3, k);
        b.output(b.node("MatMul", x, b.weight("w", k, n)), DataType.FLOAT, 3, n);
        return b.model();
    }

    @Test
    void dynamicQOperatorMatMul() {
        Model m = matmul(13, 32, 16);
        Model before = ModelCopier.copy(m);
        assertEquals(1, apply(new QuantizeDynamic(dynamic(QuantFormat.QOPERATOR, false)), m).rewrites());
        assertEquals(1, count(m, "DynamicQuantizeLinear"));
        assertEquals(1, count(m, "MatMulInteger"));
        assertEquals(0, count(m, "MatMul"));
        assertEquals(DataType.INT8, m.graph().initializers().get("w_quantized").elemType());
        assertTrue(!m.graph().initializers().containsKey("w"), "the float weight is gone");
        double c = cosine(before, m);
        assertTrue(c >= 0.999, "cosine " + c);
    }

    @Test
    void dynamicGemmTransBAlphaBetaInBothForms() {
        for (QuantFormat f : QuantFormat.values()) {
            ModelBuilder b = new ModelBuilder(13);
            Value x = b.input("x", DataType.FLOAT, 4, 24);
            Value y = b.nodeWith("Gemm", new Attribute[] {Attribute.ofInt("transB", 1), Attribute.ofFloat("alpha",
                    0.5f), Attribute.ofFloat("beta", 2f)}, x, b.weight("w", 10, 24), b.weight("c", 10));
            b.output(y, DataType.FLOAT, 4, 10);
            Model m = b.model();
            Model before = ModelCopier.copy(m);
            assertEquals(1, apply(new QuantizeDynamic(dynamic(f, true)), m).rewrites(), f.toString());
            if (f == QuantFormat.QDQ) {
                assertEquals(1, count(m, "Gemm"));
                long axis = m.graph().nodes().stream().filter(n -> n.opType().equals("DequantizeLinear")
                        && n.attribute("axis").isPresent()).findFirst().orElseThrow().attribute("axis").get().asInt();
                assertEquals(0, axis, "a transB weight [N,K] has its channels on axis 0");
            } else {
                assertEquals(1, count(m, "MatMulInteger"));
                assertEquals(1, count(m, "Add"));
            }
            double c = cosine(before, m);
            assertTrue(c >= 0.999, f + " cosine " + c);
        }
    }

    @Test
    void dynamicRefusals() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 2, 8);
        Value z = b.input("z", DataType.FLOAT, 8, 8);
        Value w = b.weight("w", 8, 8);
        Value dyn = b.node("MatMul", x, z);                 // non-constant weight
        Value shared1 = b.node("MatMul", dyn, w);           // shared with the next MatMul and an Add
        Value shared2 = b.node("MatMul", shared1, w);
        Value added = b.node("Add", z, w);                  // keeps the float w alive
        Value excluded = b.node("MatMul", shared2, b.weight("keep", 8, 8));
        b.output(excluded, DataType.FLOAT, 2, 8).output(added, DataType.FLOAT, 8, 8);
        Model m = b.model();
        String excludedName = excluded.producer().name();
        DynamicQuantConfig c = dynamic(QuantFormat.QOPERATOR, false)
                .withExclusions(NodeExclusions.of(List.of(excludedName)));
        PassResult r = apply(new QuantizeDynamic(c), m);
        assertEquals(2, r.rewrites());
        assertEquals(1, m.graph().initializers().keySet().stream().filter(k -> k.startsWith("w_quantized")).count(),
                "a shared weight is quantized once");
        assertTrue(m.graph().initializers().containsKey("w"), "the Add still reads the float weight");
        assertTrue(m.graph().initializers().containsKey("keep"));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("is not a constant initializer")), r.toString());
        assertTrue(r.diagnostics().contains(excludedName + ": excluded"), r.toString());
        assertEquals(2, count(m, "MatMul"));

        Model old = matmul(10, 8, 8);
        PassResult low = new QuantizeDynamic(dynamic(QuantFormat.QOPERATOR, false)).run(old, CTX);
        assertEquals(0, low.rewrites());
        assertTrue(low.diagnostics().get(0).contains("opset 10 is below 11"), low.toString());
        PassResult qdq = new QuantizeDynamic(dynamic(QuantFormat.QDQ, true)).run(matmul(12, 8, 8), CTX);
        assertEquals(0, qdq.rewrites());
        assertTrue(qdq.diagnostics().get(0).contains("below 13"), qdq.toString());
    }

    @Test
    void weightOnlyMatMulNBitsPadsKAndMatchesOrt() {
        for (int bits : new int[] {4, 8}) {
            for (boolean symmetric : new boolean[] {false, true}) {
                Model m = matmul(17, 80, 24);   // K = 80: two blocks of 32 and a padded third
                Model before = ModelCopier.copy(m);
                WeightOnlyConfig c = new WeightOnlyConfig(bits, 32, symmetric, true, NodeExclusions.none());
                assertEquals(1, apply(new QuantizeWeightOnly(c), m).rewrites());
                assertEquals(1, count(m, "MatMulNBits"));
                assertEquals(1, m.opsetVersion("com.microsoft"));
                Tensor packed = m.graph().initializers().get("w_nbits").constValue();
                assertEquals(List.of(24L, 3L, 32L * bits / 8), java.util.Arrays.stream(packed.dims()).boxed().toList());
                double cos = cosine(before, m);
                assertTrue(cos >= (bits == 4 ? 0.98 : 0.999), bits + " bits symmetric " + symmetric + ": " + cos);
            }
        }
    }

    @Test
    void weightOnlyPortableInt4NeedsOpset21() {
        Model m = matmul(21, 64, 16);
        Model before = ModelCopier.copy(m);
        WeightOnlyConfig c = new WeightOnlyConfig(4, 16, false, false, NodeExclusions.none());
        assertEquals(1, apply(new QuantizeWeightOnly(c), m).rewrites());
        assertEquals(DataType.UINT4, m.graph().initializers().get("w_quantized").elemType());
        assertEquals(16, m.graph().nodes().stream().filter(n -> n.opType().equals("DequantizeLinear")).findFirst()
                .orElseThrow().attribute("block_size").get().asInt());
        double cos = cosine(before, m);
        assertTrue(cos >= 0.98, "cosine " + cos);
        PassResult low = new QuantizeWeightOnly(c).run(matmul(17, 64, 16), CTX);
        assertEquals(0, low.rewrites());
        assertTrue(low.diagnostics().get(0).contains("opset 17 is below 21"), low.toString());
    }

    @Test
    void float16KeepsBlockedOpsAndIoTypesAndClamps() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 8);
        Value h = b.node("MatMul", x, b.weight("w", 8, 8));
        Value e = b.node("Exp", h);                                      // blocked: stays float32
        Value big = b.constant(Tensor.ofFloats("big", new long[] {1}, 1e6f));
        Value s = b.node("Add", b.node("Mul", e, b.weight("scale", 8)), b.node("Mul", h, big));
        b.output(b.node("Softmax", s), DataType.FLOAT, 2, 8);
        Model m = b.model();
        Model before = ModelCopier.copy(m);
        new PassManager(List.of(new ConvertFloat16(Float16Config.defaults()))).run(m, CTX);
        GraphVerifier.verify(m);
        assertEquals(0, new ConvertFloat16(Float16Config.defaults()).run(m, CTX).rewrites(), "idempotent");
        assertEquals(DataType.FLOAT16, m.graph().initializers().get("w").elemType());
        assertEquals(65504f, io.mconv.ir.HalfPrecision.float16ToFloat(
                m.graph().initializers().get("big").constValue().rawBytes().getShort(0)), "clamped to float16's max");
        assertEquals(DataType.FLOAT, m.graph().inputs().get(0).elemType());
        assertEquals(DataType.FLOAT, m.graph().outputs().get(0).elemType());
        assertEquals(DataType.FLOAT, e.elemType(), "Exp computes in float32");
        assertEquals(4, count(m, "Cast"), "x in, MatMul out to Exp, Exp back, output");
        Model excluded = ModelCopier.copy(before);
        new ConvertFloat16(new Float16Config(true, Float16Config.DEFAULT_BLOCKED,
                NodeExclusions.of(List.of("MatMul")))).run(excluded, CTX);
        assertEquals(DataType.FLOAT, excluded.graph().initializers().get("w").elemType(), "excluded MatMul");
        Model plain = ModelCopier.copy(before);
        new ConvertFloat16(new Float16Config(false, Float16Config.DEFAULT_BLOCKED, NodeExclusions.none()))
                .run(plain, CTX);
        assertEquals(DataType.FLOAT16, plain.graph().inputs().get(0).elemType(), "without --keep-io-types");
    }

    @Test
    void float16NumbersInOrt() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 16);
        Value h = b.node("Relu", b.node("MatMul", x, b.weight("w", 16, 16)));
        b.output(b.node("Softmax", b.node("Exp", b.node("MatMul", h, b.weight("v", 16, 4)))), DataType.FLOAT, 2, 4);
        Model m = b.model();
        Model before = ModelCopier.copy(m);
        assertTrue(apply(new ConvertFloat16(Float16Config.defaults()), m).rewrites() > 0);
        double cos = cosine(before, m);
        assertTrue(cos >= 0.999, "cosine " + cos);
    }
}
