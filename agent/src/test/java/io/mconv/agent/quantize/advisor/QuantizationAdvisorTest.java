package io.mconv.agent.quantize.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.ModelSaver;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.onnx.io.WriteOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advisor on small built models, run for real in ONNX Runtime. Timings on a loaded machine are not asserted;
 * the logic around them is (the pick is never slower than fp32, every slower plan says so).
 */
class QuantizationAdvisorTest {

    private static final int WIDTH = 256;

    @TempDir
    Path dir;

    /**
     * Four MatMul layers of WIDTH x WIDTH with ReLUs between, on a [1, 32, WIDTH] input (rank 3: not
     * classifier-shaped) or a [32, WIDTH] one (rank 2: top-1 applies); {@code outlierLayer} gets one weight of 60.
     */
    private Path matmulStack(String name, int outlierLayer, long... inputDims) throws Exception {
        ModelBuilder b = new ModelBuilder(17, 7);
        long[] dims = inputDims.length == 0 ? new long[] {1, 32, WIDTH} : inputDims;
        Value x = b.input("x", DataType.FLOAT, dims);
        for (int i = 0; i < 4; i++) {
            Value w = b.weight("w" + i, WIDTH, WIDTH);
            if (i == outlierLayer) {
                float[] v = w.constValue().toFloatArray();
                v[3] = 60f;
                w = b.constant(Tensor.ofFloats("w" + i + "_outlier", new long[] {WIDTH, WIDTH}, v));
            }
            x = b.node("MatMul", x, w);
            if (i < 3) {
                x = b.node("Relu", x);
            }
        }
        Model m = b.output(x, DataType.FLOAT, dims).model();
        Path file = dir.resolve(name + ".onnx");
        new ModelSaver().save(m, file, WriteOptions.defaults());
        return file;
    }

    private static AdvisorOptions quick() {
        return AdvisorOptions.defaults().withMeasurement(2, 5, 1);
    }

    @Test
    void matmulModelIsProfiledMeasuredAndJudged() throws Exception {
        Advice a = new QuantizationAdvisor().advise(matmulStack("stack", -1), quick());
        ModelProfile p = a.profile();
        assertEquals(4, p.layers().size());
        assertEquals(4L * 32 * WIDTH * WIDTH, p.totalMacs());
        assertEquals(1.0, p.macShare(), 1e-12);
        assertEquals(1.0, p.weightShare(), 1e-12);
        assertEquals(Map.of("MatMul", 4, "Relu", 3), p.opMix());

        List<String> ids = a.plans().stream().map(v -> v.plan().id()).toList();
        assertEquals("fp32", ids.get(0));
        assertTrue(ids.containsAll(List.of("dynamic-int8", "dynamic-int8-qdq-pc", "static-qdq-int8-pc",
                "weight-only-int4", "fp16")), ids.toString());
        assertEquals(a.cpu().fastInt8(), !ids.contains("dynamic-int8-rr"));
        for (PlanVerdict v : a.plans()) {
            MeasuredPlan m = v.plan();
            assertTrue(m.measured(), m.id() + ": " + m.failure());
            assertTrue(m.latencyMs() > 0, m.id());
            assertFalse(v.reason().isBlank(), m.id());
        }
        MeasuredPlan int8 = plan(a, "dynamic-int8");
        assertEquals(4, int8.opCounts().get("MatMulInteger"));
        assertTrue(int8.sizeRatio() < 0.3, "int8 weights are a quarter of float32: " + int8.sizeRatio());
        assertTrue(int8.accuracy().cosine() > 0.99, "cosine " + int8.accuracy().cosine());
        assertEquals(1 - int8.accuracy().cosine(), int8.accuracy().drop(), 1e-12, "no classifier output: drop "
                + "is 1 - cosine");
        assertEquals(4, plan(a, "weight-only-int4").opCounts().get("com.microsoft::MatMulNBits"));

        PlanVerdict pick = a.recommended();
        MeasuredPlan fp32 = plan(a, "fp32");
        assertTrue(pick.meetsConstraint());
        assertTrue(pick.plan().latencyMs() <= fp32.latencyMs(), "never slower than fp32");
        // int8 is recommended when a measured int8 plan is the fastest within the limit
        MeasuredPlan fastest = a.plans().stream().filter(PlanVerdict::meetsConstraint).map(PlanVerdict::plan)
                .filter(m -> m.rewrites() > 0 || m == fp32)
                .min((l, r) -> Double.compare(l.latencyMs(), r.latencyMs())).orElseThrow();
        assertEquals(fastest.id(), pick.plan().id());
        for (PlanVerdict v : a.plans()) {
            if (!v.recommended() && v.meetsConstraint() && v.plan().latencyRatio() > 1 && v.plan().rewrites() > 0) {
                assertTrue(v.reason().startsWith("slower than fp32"), v.reason());
            }
        }
        assertTrue(a.warnings().stream().anyMatch(w -> w.contains("random")), a.warnings().toString());
    }

    @Test
    void sensitivityPutsTheOutlierLayerFirst() throws Exception {
        Path model = matmulStack("outlier", 2);
        Advice a = new QuantizationAdvisor().advise(model, quick().withMaxAccuracyDrop(0.001));
        List<LayerSensitivity> layers = a.sensitivity().layers();
        assertEquals(4, layers.size());
        assertEquals("matmul_node_4", layers.get(0).node(), layers.toString());
        for (int i = 1; i < layers.size(); i++) {
            assertTrue(layers.get(i - 1).drop() >= layers.get(i).drop(), "worst first: " + layers);
        }
        assertTrue(layers.get(0).drop() > 10 * layers.get(1).drop(), layers.toString());
        assertEquals("", a.sensitivity().note());
    }

    @Test
    void scanIsBoundedToTheLargestLayersAndSaysSo() throws Exception {
        Advice a = new QuantizationAdvisor().advise(matmulStack("bounded", -1, 32, WIDTH),
                quick().withSensitivityLayers(2).withMeasurement(1, 0, 1));
        assertEquals(2, a.sensitivity().layers().size());
        assertEquals(4, a.sensitivity().quantizable());
        assertEquals("scanned the 2 largest of 4 layers by weight bytes", a.sensitivity().note());
        assertTrue(a.recommended().plan().candidate() instanceof Fp32Plan, "untimed plans cannot beat fp32");
        // a [32, WIDTH] output is classifier-shaped: the drop also counts rows whose arg-max changed
        PlanAccuracy int8 = plan(a, "dynamic-int8").accuracy();
        assertTrue(int8.hasTop1());
        assertEquals(Math.max(1 - int8.cosine(), 1 - int8.top1Agreement()), int8.drop(), 1e-12);
    }

    private static MeasuredPlan plan(Advice a, String id) {
        return a.plans().stream().map(PlanVerdict::plan).filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }
}
