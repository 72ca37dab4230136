package io.mconv.agent.quantize.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.quantize.QuantizeMode;
import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.limits.Limits;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recommendation rule and the reason lines, on measured figures written out (no model needed). */
class PlanJudgeTest {

    private static final CpuFeatures AVX2 = CpuFeatures.parse("amd64", "flags : avx avx2 fma\n");
    private static final Fp32Plan FP32 = new Fp32Plan(1000, Map.of("Conv", 2));

    private static MeasuredPlan plan(PlanCandidate c, long bytes, double ms, double drop, Map<String, Integer> ops) {
        return new MeasuredPlan(c, bytes, bytes / 1000.0, ms, ms / 10.0, new PlanAccuracy(1 - drop, drop, Double.NaN,
                drop), c instanceof Fp32Plan ? 0 : 3, ops, List.of(), null);
    }

    private static PlanCandidate dynamic(String id) {
        return new QuantizerPlan(id, id, PlanKind.DYNAMIC_INT8, QuantizeOptions.defaults(QuantizeMode.DYNAMIC), Limits.defaults());
    }

    private static PlanCandidate fp16() {
        return new QuantizerPlan("fp16", "fp16", PlanKind.FP16, QuantizeOptions.defaults(QuantizeMode.FP16), Limits.defaults());
    }

    @Test
    void fastestPlanWithinTheLimitWins() {
        List<PlanVerdict> v = new PlanJudge(0.01, AVX2).judge(List.of(
                plan(FP32, 1000, 10, 0, Map.of()),
                plan(dynamic("fast-but-wrong"), 270, 5, 0.03, Map.of()),
                plan(dynamic("int8"), 270, 6, 0.001, Map.of("MatMulInteger", 2)),
                plan(fp16(), 500, 25, 0, Map.of())));
        assertEquals("int8", v.stream().filter(PlanVerdict::recommended).findFirst().orElseThrow().plan().id());
        assertEquals(1, v.stream().filter(PlanVerdict::recommended).count());
        assertTrue(v.get(2).reason().startsWith("fastest plan within accuracy drop 0.0100: 0.60x fp32 latency"),
                v.get(2).reason());
        assertEquals("accuracy drop 0.0300 > 0.0100", v.get(1).reason());
        assertFalse(v.get(1).meetsConstraint());
        assertEquals("slower than int8 (10.00 ms vs 6.00 ms) and larger (1.000x vs 0.270x)", v.get(0).reason());
        assertTrue(v.get(3).reason().startsWith("slower than fp32 (2.50x): float16 on CPU"), v.get(3).reason());
    }

    @Test
    void neverSlowerThanFp32Silently() {
        List<PlanVerdict> v = new PlanJudge(0.01, AVX2).judge(List.of(
                plan(FP32, 1000, 10, 0, Map.of()),
                plan(dynamic("conv-int8"), 300, 40, 0.001, Map.of("ConvInteger", 2, "DynamicQuantizeLinear", 2)),
                plan(dynamic("matmul-int8"), 280, 11, 0.001, Map.of("MatMulInteger", 1))));
        PlanVerdict pick = v.stream().filter(PlanVerdict::recommended).findFirst().orElseThrow();
        assertTrue(pick.plan().candidate() instanceof Fp32Plan);
        assertEquals("no quantization: no quantized plan is faster than fp32 on this CPU", pick.reason());
        assertEquals("slower than fp32 (4.00x): ConvInteger on AVX2 without VNNI has no fast int8 convolution "
                + "kernel", v.get(1).reason());
        assertTrue(v.get(2).reason().startsWith("slower than fp32 (1.10x): MatMulInteger on AVX2 without VNNI"),
                v.get(2).reason());
    }

    @Test
    void fp32WhenTheFasterPlansLoseAccuracy() {
        List<PlanVerdict> v = new PlanJudge(0.01, AVX2).judge(List.of(
                plan(FP32, 1000, 10, 0, Map.of()),
                plan(dynamic("int8"), 270, 6, 0.05, Map.of())));
        assertTrue(v.get(0).recommended());
        assertEquals("no quantization: the plans faster than fp32 lose more accuracy than 0.0100", v.get(0).reason());
    }

    @Test
    void failedAndNoOpPlansSayWhy() {
        MeasuredPlan noop = new MeasuredPlan(dynamic("int4"), 1000, 1, 9, 0.9, PlanAccuracy.EXACT, 0, Map.of(),
                List.of("fc (Gemm): not a MatMul"), null);
        List<PlanVerdict> v = new PlanJudge(0.01, AVX2).judge(List.of(plan(FP32, 1000, 10, 0, Map.of()),
                MeasuredPlan.failed(dynamic("static"), "cannot calibrate"), noop));
        assertEquals("failed: cannot calibrate", v.get(1).reason());
        assertFalse(v.get(1).meetsConstraint());
        assertTrue(v.get(0).recommended(), "a plan that changed nothing is the float model: its speed-up is noise");
        assertEquals("changes nothing in this model (fc (Gemm): not a MatMul)", v.get(2).reason());
    }

    @Test
    void nearTiePointsAtTheSmallerPlan() {
        List<PlanVerdict> v = new PlanJudge(0.01, AVX2).judge(List.of(
                plan(FP32, 1000, 10, 0, Map.of()),
                plan(dynamic("half"), 500, 6.0, 0, Map.of()),
                plan(dynamic("quarter"), 250, 6.2, 0.001, Map.of())));
        assertTrue(v.get(1).recommended());
        assertTrue(v.get(1).reason().endsWith("(quarter is within 5% of its latency and smaller, 0.250x: "
                + "consider it)"), v.get(1).reason());
    }

    @Test
    void sensitiveLayersAreKeptInFloatWhenNoInt8PlanMeetsTheLimit() {
        PlanJudge judge = new PlanJudge(0.01, AVX2);
        SensitivityReport s = new SensitivityReport(List.of(
                new LayerSensitivity("worst", "MatMul", 100, 0.9, 1, 0.1),
                new LayerSensitivity("middle", "MatMul", 100, 0.99, 1, 0.006),
                new LayerSensitivity("fine", "MatMul", 100, 0.9999, 1, 0.0001),
                new LayerSensitivity("finest", "MatMul", 100, 0.99999, 1, 0.00001)), 4, "");
        List<MeasuredPlan> missed = List.of(plan(FP32, 1000, 10, 0, Map.of()),
                plan(dynamic("a"), 270, 6, 0.2, Map.of()), plan(dynamic("b"), 270, 6, 0.1, Map.of()));
        PlanCandidate guarded = QuantizationAdvisor.sensitiveLayersExcluded(missed, s, judge, 0.01);
        assertNotNull(guarded);
        assertEquals("b-keep2", guarded.id());
        assertEquals(List.of("worst", "middle"), ((QuantizerPlan) guarded).options().exclude());
        List<MeasuredPlan> met = List.of(plan(FP32, 1000, 10, 0, Map.of()), plan(dynamic("a"), 270, 6, 0.001,
                Map.of()));
        assertNull(QuantizationAdvisor.sensitiveLayersExcluded(met, s, judge, 0.01));
        assertEquals(Set.of(), Set.copyOf(((QuantizerPlan) dynamic("x")).options().exclude()));
    }
}
