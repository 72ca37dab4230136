package io.mconv.agent.pipeline.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.quantize.QuantizeMode;
import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.agent.quantize.advisor.CpuFeatures;
import io.mconv.agent.quantize.advisor.Fp32Plan;
import io.mconv.agent.quantize.advisor.MeasuredPlan;
import io.mconv.agent.quantize.advisor.PlanAccuracy;
import io.mconv.agent.quantize.advisor.PlanCandidate;
import io.mconv.agent.quantize.advisor.PlanJudge;
import io.mconv.agent.quantize.advisor.PlanKind;
import io.mconv.agent.quantize.advisor.PlanVerdict;
import io.mconv.agent.quantize.advisor.QuantizerPlan;
import io.mconv.limits.Limits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --quantize auto writes a quantized model only when the advisor measured it clearly faster than fp32. */
class AdvisedQuantizeStepTest {

    private static final CpuFeatures AVX2 = CpuFeatures.parse("amd64", "flags : avx avx2 fma\n");
    private static final Fp32Plan FP32 = new Fp32Plan(1000, Map.of("MatMul", 2));

    private static MeasuredPlan plan(PlanCandidate c, long bytes, double ms) {
        return new MeasuredPlan(c, bytes, bytes / 1000.0, ms, ms / 10.0, new PlanAccuracy(0.9999, 1e-4, Double.NaN,
                1e-4), c instanceof Fp32Plan ? 0 : 3, Map.of(), List.of(), null);
    }

    private static PlanCandidate int8() {
        return new QuantizerPlan("int8", "int8", PlanKind.DYNAMIC_INT8, QuantizeOptions.defaults(QuantizeMode.DYNAMIC),
                Limits.defaults());
    }

    private static List<PlanVerdict> judged(double int8Ms) {
        return new PlanJudge(0.01, AVX2).judge(List.of(plan(FP32, 1000, 10), plan(int8(), 270, int8Ms)));
    }

    private static PlanVerdict chosen(List<PlanVerdict> v) {
        List<PlanVerdict> picks = v.stream().filter(PlanVerdict::recommended).toList();
        assertEquals(1, picks.size(), v.toString());
        return picks.get(0);
    }

    @Test
    void aClearlyFasterPlanIsKept() {
        List<PlanVerdict> advised = judged(9.0); // 0.90x
        List<PlanVerdict> v = AdvisedQuantizeStep.keepFloatUnlessClearlyFaster(advised);
        assertSame(advised, v);
        assertEquals("int8", chosen(v).plan().id());
    }

    @Test
    void aPlanWithinTheMarginGivesWayToTheFloatModel() {
        List<PlanVerdict> advised = judged(9.7); // the advisor's pick, 0.97x
        assertEquals("int8", chosen(advised).plan().id());
        List<PlanVerdict> v = AdvisedQuantizeStep.keepFloatUnlessClearlyFaster(advised);
        assertTrue(chosen(v).plan().candidate() instanceof Fp32Plan);
        assertEquals("no quantization: the fastest plan (int8, 0.97x) is not clearly faster than fp32 on this CPU",
                chosen(v).reason());
        PlanVerdict int8 = v.get(1);
        assertFalse(int8.recommended());
        assertTrue(int8.meetsConstraint());
        assertEquals("fastest plan, but only 0.97x fp32 latency: not clearly faster (needs <= 0.95x), so the model "
                + "stays float", int8.reason());
        // The report's candidate rows follow the final choice.
        List<Map<String, Object>> rows = AdvisedQuantizeStep.candidates(v);
        assertEquals("fp32", rows.get(0).get("plan"));
        assertEquals(true, rows.get(0).get("chosen"));
        assertEquals(false, rows.get(1).get("chosen"));
    }

    @Test
    void aFloatPickStaysAsItIs() {
        List<PlanVerdict> advised = judged(12); // slower than fp32: the advisor already keeps fp32
        assertSame(advised, AdvisedQuantizeStep.keepFloatUnlessClearlyFaster(advised));
        assertTrue(chosen(advised).plan().candidate() instanceof Fp32Plan);
    }
}
