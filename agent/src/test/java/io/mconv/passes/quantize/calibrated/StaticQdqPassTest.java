package io.mconv.passes.quantize.calibrated;

import io.mconv.agent.quantize.calibration.CalibrationSamples;
import io.mconv.agent.quantize.calibration.GaussianCalibrationInputs;
import io.mconv.agent.quantize.calibration.MinMaxCalibrator;
import io.mconv.agent.quantize.calibration.RangeCollector;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The static QDQ and QOperator passes on small graphs, calibrated in ORT on seeded N(0,1) inputs: structure after
 * the pass, outputs against the float model in ORT, the verifier, idempotence, and the cases left in float.
 */
class StaticQdqPassTest {

    private static final PassContext PORTABLE = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.PORTABLE);
    private static final PassContext ORT = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.ORT);

    /** x[1,3,8,8] -> Conv(W, B) -> Relu -> MaxPool -> (+ Conv2(same W... )) -> Flatten -> Gemm -> y. */
    private static Model convNet(boolean weightAsInput) {
        ModelBuilder b = new ModelBuilder(13, 7);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value w;
        if (weightAsInput) {
            w = b.input("w", DataType.FLOAT, 4, 3, 3, 3);
        } else {
            w = b.weight("w", 4, 3, 3, 3);
        }
        Value bias = b.weight("b", 4);
        Value c = b.nodeWith("Conv", new Attribute[] {Attribute.ofInts("pads", 1, 1, 1, 1)}, x, w, bias);
        Value r = b.node("Relu", c);
        Value p = b.nodeWith("MaxPool", new Attribute[] {Attribute.ofInts("kernel_shape", 2, 2),
                Attribute.ofInts("strides", 2, 2)}, r);
        Value f = b.node("Flatten", p);
        Value gw = b.weight("gw", 10, 64);
        Value gb = b.weight("gb", 10);
        Value y = b.nodeWith("Gemm", new Attribute[] {Attribute.ofInt("transB", 1)}, f, gw, gb);
        b.output(y, DataType.FLOAT, 1, 10);
        return b.model();
    }

    /** Two residual blocks Conv -> Add(skip), a Relu between, the weight shared by both Convs, then pool + flatten. */
    private static Model residual() {
        ModelBuilder b = new ModelBuilder(13, 11);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 6, 6);
        Value w = b.weight("w", 4, 4, 3, 3);
        Attribute[] pads = {Attribute.ofInts("pads", 1, 1, 1, 1)};
        Value c1 = b.nodeWith("Conv", pads, x, w);
        Value a1 = b.node("Add", c1, x);
        Value r1 = b.node("Relu", a1);
        Value c2 = b.nodeWith("Conv", pads, r1, w);
        Value a2 = b.node("Add", c2, r1);
        Value y = b.node("Flatten", b.node("GlobalAveragePool", a2));
        b.output(y, DataType.FLOAT, 1, 4);
        return b.model();
    }

    private static CalibrationTable calibrate(Model m) {
        Map<String, ValueType> inputs = new LinkedHashMap<>();
        for (Value in : m.graph().inputs()) {
            inputs.put(in.name(), in.type());
        }
        CalibrationSamples samples = new GaussianCalibrationInputs(3).generate(inputs, Map.of(), 16);
        return new RangeCollector().collect(m, samples, new MinMaxCalibrator());
    }

    private static Map<String, Tensor> feeds(Model m, long seed) {
        Map<String, ValueType> inputs = new LinkedHashMap<>();
        for (Value in : m.graph().inputs()) {
            inputs.put(in.name(), in.type());
        }
        return new GaussianCalibrationInputs(seed).generate(inputs, Map.of(), 1).samples().get(0);
    }

    /** Cosine of the outputs of both models in ORT (optimizations off), on one N(0,1) input. */
    private static double cosine(Model before, Model after) {
        Map<String, Tensor> in = feeds(before, 99);
        try (OrtModelRunner a = OrtModelRunner.open(before, OrtSessionConfig.forValidation());
             OrtModelRunner b = OrtModelRunner.open(after, OrtSessionConfig.forValidation())) {
            String out = before.graph().outputs().get(0).name();
            float[] e = a.run(in, List.of(out)).get(out).toFloatArray();
            float[] g = b.run(in, List.of(out)).get(out).toFloatArray();
            double dot = 0, ee = 0, gg = 0;
            for (int i = 0; i < e.length; i++) {
                dot += (double) e[i] * g[i];
                ee += (double) e[i] * e[i];
                gg += (double) g[i] * g[i];
            }
            return dot / Math.sqrt(ee * gg);
        }
    }

    private static long count(Model m, String op) {
        return m.graph().nodes().stream().filter(n -> n.opType().equals(op)).count();
    }

    private static Node only(Model m, String op) {
        List<Node> nodes = m.graph().nodes().stream().filter(n -> n.opType().equals(op)).toList();
        assertEquals(1, nodes.size(), op + " count");
        return nodes.get(0);
    }

    @Test
    void convReluPoolGemmGetsQdqWithFoldedReluSharedPoolParamsAndInt32Bias() {
        Model before = convNet(false);
        Model m = ModelCopier.copy(before);
        CalibrationTable table = calibrate(m);
        PassResult r = new InsertStaticQdq(table, StaticQuantConfig.defaults()).run(m, PORTABLE);
        assertTrue(GraphVerifier.check(m).isEmpty(), GraphVerifier.check(m).toString());
        assertEquals(0, count(m, "Relu"), "Relu folded into the Conv output's quantization");
        assertEquals(5, r.rewrites()); // Conv, MaxPool, Flatten, Gemm + the folded Relu
        // Activations: x, conv out, pool out, flatten out (the Gemm output is a graph output and stays float).
        assertEquals(4, count(m, "QuantizeLinear"));
        // Weights and biases of Conv and Gemm + 4 activation DQs.
        assertEquals(8, count(m, "DequantizeLinear"));
        Node conv = only(m, "Conv");
        Node wdq = conv.input(1).producer();
        assertEquals(DataType.INT8, wdq.input(0).constValue().dataType());
        assertEquals(0L, wdq.attribute("axis").orElseThrow().asInt());
        assertEquals(4, wdq.input(1).constValue().elementCount(), "per-channel scales");
        Node bdq = conv.input(2).producer();
        assertEquals(DataType.INT32, bdq.input(0).constValue().dataType());
        float xScale = conv.input(0).producer().input(1).constValue().toFloatArray()[0];
        float[] wScales = wdq.input(1).constValue().toFloatArray();
        float[] bScales = bdq.input(1).constValue().toFloatArray();
        for (int c = 0; c < 4; c++) {
            assertEquals(xScale * wScales[c], bScales[c], 0f, "bias scale = input scale * weight scale");
        }
        // The conv output's zero point is uint8's minimum: Q clamps negatives, which is the Relu.
        Node convOutQ = conv.output(0).uses().get(0).node();
        assertEquals("QuantizeLinear", convOutQ.opType());
        assertEquals(0, convOutQ.input(2).constValue().rawBytes().get(0));
        // MaxPool's output shares its input's parameters.
        Node pool = only(m, "MaxPool");
        Node poolInDq = pool.input(0).producer();
        Node poolOutQ = pool.output(0).uses().get(0).node();
        assertTrue(poolInDq.input(1).constValue().contentEquals(poolOutQ.input(1).constValue()));
        // Gemm transB=1: weight channels on axis 0.
        Node gemm = only(m, "Gemm");
        assertEquals(0L, gemm.input(1).producer().attribute("axis").orElseThrow().asInt());
        assertFalse(m.graph().initializers().containsKey("w"), "float weight removed");
        double cos = cosine(before, m);
        System.out.println("conv net QDQ cosine " + cos);
        assertTrue(cos > 0.99, "cosine " + cos);
        assertEquals(0, new InsertStaticQdq(table, StaticQuantConfig.defaults()).run(m, PORTABLE).rewrites(),
                "a quantized model is left alone");
    }

    @Test
    void qoperatorFormUsesQLinearConvAndIntegerPoolAndMatchesTheFloatModel() {
        Model before = convNet(false);
        Model m = ModelCopier.copy(before);
        new InsertStaticQdq(calibrate(m), StaticQuantConfig.defaults().withPerChannel(false)).run(m, PORTABLE);
        PassResult r = new QdqToQOperator().run(m, PORTABLE);
        assertTrue(GraphVerifier.check(m).isEmpty(), GraphVerifier.check(m).toString());
        assertEquals(1, count(m, "QLinearConv"));
        assertEquals(0, count(m, "Conv"));
        Node pool = only(m, "MaxPool");
        assertEquals(DataType.UINT8, pool.input(0).elemType(), "MaxPool runs on the integers");
        assertEquals(DataType.INT32, only(m, "QLinearConv").input(8).constValue().dataType());
        assertTrue(r.rewrites() >= 3, "rewrites " + r.rewrites());
        double cos = cosine(before, m);
        System.out.println("conv net QOperator cosine " + cos + ", ops " + m.graph().nodes().stream()
                .map(Node::opType).toList());
        assertTrue(cos > 0.99, "cosine " + cos);
        assertEquals(0, new QdqToQOperator().run(m, PORTABLE).rewrites(), "idempotent");
    }

    @Test
    void residualAddsSharedWeightAndOrtTargetQLinearAdd() {
        Model before = residual();
        Model m = ModelCopier.copy(before);
        CalibrationTable table = calibrate(m);
        new InsertStaticQdq(table, StaticQuantConfig.defaults()).run(m, PORTABLE);
        // The shared weight is quantized once; both Convs read the same DequantizeLinear.
        List<Node> convs = m.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).toList();
        assertEquals(2, convs.size());
        assertTrue(convs.get(0).input(1) == convs.get(1).input(1), "one DQ for the shared weight");
        assertEquals(0, count(m, "Relu"), "the Relu after the first Add (its only consumer) is folded");
        double cosQdq = cosine(before, m);
        new QdqToQOperator().run(m, ORT);
        assertTrue(GraphVerifier.check(m).isEmpty(), GraphVerifier.check(m).toString());
        assertEquals(2, count(m, "QLinearConv"));
        assertEquals(2, count(m, "QLinearAdd"));
        assertEquals(1, count(m, "QLinearGlobalAveragePool"));
        assertEquals(1, m.opsetVersion("com.microsoft"));
        double cos = cosine(before, m);
        System.out.println("residual QDQ cosine " + cosQdq + ", QOperator(ort) cosine " + cos);
        assertTrue(cosQdq > 0.99 && cos > 0.99, cosQdq + " / " + cos);
    }

    @Test
    void nonConstantWeightAndExcludedNodesStayFloat() {
        Model m = convNet(true);
        new InsertStaticQdq(calibrate(m), StaticQuantConfig.defaults()).run(m, PORTABLE);
        Node conv = only(m, "Conv");
        assertEquals("w", conv.input(1).name(), "a weight fed at run time cannot be pre-quantized");
        assertEquals(1, count(m, "Relu"), "nothing to fold into");

        Model byName = convNet(false);
        String gemmName = only(byName, "Gemm").name();
        PassResult r = new InsertStaticQdq(calibrate(byName),
                StaticQuantConfig.defaults().withExclude(Set.of(gemmName))).run(byName, PORTABLE);
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("excluded: Gemm")), r.diagnostics().toString());
        assertEquals("gw", only(byName, "Gemm").input(1).name());
        assertEquals(1, count(byName, "Conv"));
        assertEquals("DequantizeLinear", only(byName, "Conv").input(1).producer().opType());

        Model byType = convNet(false);
        new InsertStaticQdq(calibrate(byType), StaticQuantConfig.defaults().withExclude(Set.of("Conv")))
                .run(byType, PORTABLE);
        assertEquals("w", only(byType, "Conv").input(1).name());
        assertEquals(1, count(byType, "Relu"), "Relu after a float Conv is not folded");
    }

    @Test
    void s8s8SymmetricAndReduceRangeParameters() {
        Model before = convNet(false);
        Model m = ModelCopier.copy(before);
        StaticQuantConfig cfg = StaticQuantConfig.defaults().withTypes(QuantType.INT8, QuantType.INT8)
                .withSymmetricActivations(true).withReduceRange(true);
        new InsertStaticQdq(calibrate(m), cfg).run(m, PORTABLE);
        for (Node q : m.graph().nodes().stream().filter(n -> n.opType().equals("QuantizeLinear")).toList()) {
            assertEquals(DataType.INT8, q.input(2).constValue().dataType());
            assertEquals(0, q.input(2).constValue().rawBytes().get(0), "symmetric: zero point 0");
        }
        assertEquals(1, count(m, "Relu"), "symmetric activations keep Relu (Q does not clamp at 0)");
        byte[] w = new byte[(int) only(m, "Conv").input(1).producer().input(0).constValue().elementCount()];
        only(m, "Conv").input(1).producer().input(0).constValue().rawBytes().get(w);
        for (byte v : w) {
            assertTrue(v >= -64 && v <= 64, "reduce-range weight " + v);
        }
        double cos = cosine(before, m);
        System.out.println("S8S8 symmetric reduce-range cosine " + cos);
        assertTrue(cos > 0.98, "cosine " + cos);
    }

    @Test
    void quantParamsOfKnownRanges() {
        QuantParams u = QuantParams.forRange(new TensorRange(0f, 2.55f), QuantType.UINT8, false, false);
        assertEquals(0.01f, u.scale(), 1e-7);
        assertEquals(0, u.zeroPoint());
        QuantParams a = QuantParams.forRange(new TensorRange(-1f, 3f), QuantType.UINT8, false, false);
        assertEquals(4f / 255, a.scale(), 1e-7);
        assertEquals(64, a.zeroPoint()); // round(0 - (-1) / (4/255)) = round(63.75)
        QuantParams s = QuantParams.forRange(new TensorRange(-0.5f, 1.27f), QuantType.INT8, true, false);
        assertEquals(2.54f / 254, s.scale(), 1e-7);
        assertEquals(0, s.zeroPoint());
        QuantParams positive = QuantParams.forRange(new TensorRange(2f, 4f), QuantType.UINT8, false, false);
        assertEquals(4f / 255, positive.scale(), 1e-7); // widened to include 0
        assertEquals(1f, QuantParams.forRange(new TensorRange(0, 0), QuantType.UINT8, false, false).scale());
        QuantizedTensor q = new WeightQuantizer(QuantType.INT8, true, false)
                .quantize(Tensor.ofFloats("w", new long[] {2, 2}, 1f, -0.5f, 0.25f, 0.125f), 0, "w");
        assertArrayEquals(new float[] {1f / 127, 0.25f / 127}, q.scales(), 1e-9f);
        byte[] data = new byte[4];
        q.data().rawBytes().get(data);
        assertArrayEquals(new byte[] {127, -64, 127, 64}, data);
    }
}
