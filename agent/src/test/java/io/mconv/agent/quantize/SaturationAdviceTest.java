package io.mconv.agent.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.quantize.advisor.CpuFeatures;
import io.mconv.ir.DataType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaturationAdviceTest {

    private static final CpuFeatures AVX2 = CpuFeatures.parse("amd64", "flags : avx avx2 fma\n");
    private static final CpuFeatures VNNI = CpuFeatures.parse("amd64", "flags : avx2 avx512f avx512_vnni\n");
    private static final CpuFeatures ARM = CpuFeatures.parse("aarch64", "Features : fp asimd\n");
    private static final CpuFeatures UNKNOWN = CpuFeatures.parse("amd64", "");
    private static final QuantizeOptions DYNAMIC = QuantizeOptions.defaults(QuantizeMode.DYNAMIC);

    @Test
    void fullRangeInt8WeightsOnAvx2WithoutVnniGetTheAdvice() {
        String advice = SaturationAdvice.forDynamic(DYNAMIC, AVX2).orElseThrow();
        assertTrue(advice.startsWith("on this CPU (AVX2 without VNNI)"), advice);
        assertTrue(advice.contains("--reduce-range") && advice.contains("--quantize auto"), advice);
        assertTrue(SaturationAdvice.forDynamic(DYNAMIC.withWeightType(DataType.INT8), AVX2).isPresent());
    }

    @Test
    void noAdviceWhereSaturationCannotBeTheCause() {
        assertEquals(Optional.empty(), SaturationAdvice.forDynamic(DYNAMIC, VNNI), "VNNI does not saturate");
        assertEquals(Optional.empty(), SaturationAdvice.forDynamic(DYNAMIC, ARM), "not x86");
        assertEquals(Optional.empty(), SaturationAdvice.forDynamic(DYNAMIC, UNKNOWN), "flags unknown: no guess");
        assertEquals(Optional.empty(), SaturationAdvice.forDynamic(DYNAMIC.withReduceRange(true), AVX2),
                "already 7-bit");
        assertEquals(Optional.empty(), SaturationAdvice.forDynamic(DYNAMIC.withWeightType(DataType.UINT8), AVX2),
                "uint8 weights");
        assertEquals(Optional.empty(), SaturationAdvice.forDynamic(QuantizeOptions.defaults(QuantizeMode.FP16),
                AVX2), "not int8");
    }
}
