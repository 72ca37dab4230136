package io.mconv.agent.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's goals on the generated models (testdata/make_models.sh): dynamic int8 on bert_like at most 0.27× the
 * float size with cosine ≥ 0.999; float16 about half the size with cosine ≥ 0.999; figures printed for resnet18 and
 * mobilenet_v2 too. Every output except the opset-21 ones goes through onnx.checker (full_check) at the end.
 */
class QuantizeRealModelsTest {

    @TempDir
    static Path dir;

    private static final List<Path> CHECKABLE = new ArrayList<>();

    @BeforeAll
    static void header() {
        System.out.println("model          plan                                            size   ratio  cosine    "
                + "max_abs   top1   latency(q/f)");
    }

    private static QuantizeResult run(String model, String tag, QuantizeOptions options) throws Exception {
        Path source = Fixtures.generated(model + ".onnx");
        Path out = dir.resolve(model + "." + tag + ".onnx");
        QuantizeResult r = new Quantizer().quantize(source, out, options.withLatencyRuns(5));
        QualityReport q = r.quality();
        assertNotNull(q);
        OutputQuality first = q.outputs().get(0);
        System.out.printf("%-14s %-47s %6.1fMB %5.3f  %.6f  %.4f  %5s  %.2f (%.2f/%.2f ms)%n", model, r.plan(),
                r.outputBytes() / 1e6, r.sizeRatio(), q.worstCosine(), q.worstAbsError(),
                first.classifier() ? String.format("%.2f", first.top1Agreement()) : "-", r.latency().ratio(),
                r.latency().quantizedMillis(), r.latency().floatMillis());
        if (r.opsetAfter() <= 17) {
            CHECKABLE.add(out);
        }
        return r;
    }

    @Test
    void bertLikeDynamicInt8MeetsTheIssueGoals() throws Exception {
        QuantizeResult r = run("bert_like", "dynamic", QuantizeOptions.defaults(QuantizeMode.DYNAMIC)
                .withReduceRange(true));
        assertTrue(r.sizeRatio() <= 0.27, "int8 size ratio " + r.sizeRatio());
        assertTrue(r.quality().worstCosine() >= 0.999, "cosine " + r.quality().worstCosine());
        // 12 MatMuls with constant weights become MatMulInteger; the 4 attention products (QK^T, PV) keep MatMul
        assertEquals(12, r.passes().opsAfter().getOrDefault("MatMulInteger", 0), r.passes().opsAfter().toString());
        assertEquals(4, r.passes().opsAfter().getOrDefault("MatMul", 0), r.passes().opsAfter().toString());
    }

    /**
     * Full-range int8 weights: on a CPU without VNNI (AVX2 only) ONNX Runtime's u8×s8 MatMulInteger kernel sums
     * pairs of products in saturating int16 (vpmaddubsw), which costs accuracy; --reduce-range avoids it.
     */
    @Test
    void bertLikeDynamicPerTensor() throws Exception {
        QuantizeResult r = run("bert_like", "dynamic-tensor", QuantizeOptions.defaults(QuantizeMode.DYNAMIC));
        assertTrue(r.sizeRatio() <= 0.27, "int8 size ratio " + r.sizeRatio());
        assertTrue(r.quality().worstCosine() >= 0.99, "cosine " + r.quality().worstCosine());
    }

    /**
     * Measured as users run it (ORT optimizations on), the QDQ form fuses into the same u8s8 integer kernel as the
     * QOperator form and meets the same int16 saturation on AVX2: full-range weights give cosine ~0.994 here, so
     * the goal is checked with 7-bit weights.
     */
    @Test
    void bertLikeDynamicQdqPerChannel() throws Exception {
        QuantizeResult r = run("bert_like", "dynamic-qdq", QuantizeOptions.defaults(QuantizeMode.DYNAMIC)
                .withFormat(io.mconv.passes.quantize.QuantFormat.QDQ).withPerChannel(true).withReduceRange(true));
        assertTrue(r.sizeRatio() <= 0.28, "int8 size ratio " + r.sizeRatio());
        assertTrue(r.quality().worstCosine() >= 0.999, "cosine " + r.quality().worstCosine());
        assertTrue(r.passes().opsAfter().getOrDefault("DynamicQuantizeLinear", 0) > 0);
    }

    @Test
    void bertLikeFloat16IsHalfTheSize() throws Exception {
        QuantizeResult r = run("bert_like", "fp16", QuantizeOptions.defaults(QuantizeMode.FP16));
        assertEquals(0.5, r.sizeRatio(), 0.03);
        assertTrue(r.quality().worstCosine() >= 0.999, "cosine " + r.quality().worstCosine());
    }

    @Test
    void bertLikeWeightOnlyInt4MatMulNBits() throws Exception {
        QuantizeResult r = run("bert_like", "int4", QuantizeOptions.defaults(QuantizeMode.WEIGHT_ONLY));
        assertTrue(r.passes().opsAfter().getOrDefault("com.microsoft::MatMulNBits",
                r.passes().opsAfter().getOrDefault("MatMulNBits", 0)) > 0, r.passes().opsAfter().toString());
        assertTrue(r.sizeRatio() < 0.40, "int4 size ratio (embedding table stays float) " + r.sizeRatio());
        assertTrue(r.quality().worstCosine() >= 0.98, "cosine " + r.quality().worstCosine());
    }

    @Test
    void bertLikeWeightOnlyInt4Portable() throws Exception {
        QuantizeResult r = run("bert_like", "int4-qdq", QuantizeOptions.defaults(QuantizeMode.WEIGHT_ONLY)
                .withTarget(Target.PORTABLE));
        assertEquals(21, r.opsetAfter());
        assertTrue(r.sizeRatio() < 0.40, "int4 size ratio (embedding table stays float) " + r.sizeRatio());
        assertTrue(r.quality().worstCosine() >= 0.98, "cosine " + r.quality().worstCosine());
    }

    @Test
    void resnet18() throws Exception {
        QuantizeResult d = run("resnet18", "dynamic", QuantizeOptions.defaults(QuantizeMode.DYNAMIC));
        assertTrue(d.quality().worstCosine() >= 0.99);
        QuantizeResult h = run("resnet18", "fp16", QuantizeOptions.defaults(QuantizeMode.FP16));
        assertEquals(0.5, h.sizeRatio(), 0.03);
        assertTrue(h.quality().worstCosine() >= 0.999, "cosine " + h.quality().worstCosine());
    }

    /**
     * --include-conv: every Conv becomes ConvInteger. Accurate, but on a CPU without VNNI ORT has no fused kernel for
     * it and the figure printed is several times fp32's latency: why Conv is opt-in (and what the advisor reports).
     */
    @Test
    void resnet18DynamicWithConv() throws Exception {
        QuantizeResult c = run("resnet18", "dynamic-conv", QuantizeOptions.defaults(QuantizeMode.DYNAMIC)
                .withIncludeConv(true));
        assertEquals(20, c.passes().opsAfter().getOrDefault("ConvInteger", 0), c.passes().opsAfter().toString());
        assertTrue(c.quality().worstCosine() >= 0.99, "cosine " + c.quality().worstCosine());
        assertTrue(c.sizeRatio() < 0.30, "size ratio " + c.sizeRatio());
    }

    @Test
    void mobilenetV2() throws Exception {
        QuantizeResult d = run("mobilenet_v2", "dynamic", QuantizeOptions.defaults(QuantizeMode.DYNAMIC)
                .withWeightType(DataType.UINT8));
        assertTrue(d.quality().worstCosine() >= 0.99);
        QuantizeResult h = run("mobilenet_v2", "fp16", QuantizeOptions.defaults(QuantizeMode.FP16));
        assertEquals(0.5, h.sizeRatio(), 0.03);
        assertTrue(h.quality().worstCosine() >= 0.999, "cosine " + h.quality().worstCosine());
    }

    /** onnx 1.12's checker on every output at opset ≤ 17 (opset-21 int4 QDQ outputs cannot be checked by it). */
    @AfterAll
    static void everyOutputPassesOnnxChecker() throws Exception {
        assertTrue(CHECKABLE.size() >= 6, "outputs to check: " + CHECKABLE);
        OnnxCheckScript.assertValid(CHECKABLE);
    }
}
