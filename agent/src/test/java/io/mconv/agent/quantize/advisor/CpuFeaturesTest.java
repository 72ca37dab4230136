package io.mconv.agent.quantize.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.limits.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuFeaturesTest {

    @Test
    void avx2WithoutVnniNeedsReduceRange() {
        CpuFeatures c = CpuFeatures.parse("amd64", "processor\t: 0\nflags\t\t: fpu sse4_2 avx avx2 fma\n"
                + "processor\t: 1\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512_vnni\n");
        assertTrue(c.known());
        assertTrue(c.avx2());
        assertFalse(c.avx512(), "only the first processor's flags are read");
        assertFalse(c.fastInt8());
        assertEquals("AVX2 without VNNI", c.int8Kernel());
        assertEquals("amd64: AVX2, no AVX-512, no VNNI", c.describe());
        assertTrue(new PlanMenu(c, AdvisorOptions.defaults(), Limits.defaults()).reduceRange());
    }

    @Test
    void vnniAndArmDotProduct() {
        CpuFeatures x86 = CpuFeatures.parse("amd64", "flags : avx2 avx512f avx512bw avx512_vnni\n");
        assertTrue(x86.vnni() && x86.avx512() && x86.fastInt8());
        assertEquals("VNNI", x86.int8Kernel());
        assertFalse(new PlanMenu(x86, AdvisorOptions.defaults(), Limits.defaults()).reduceRange());
        CpuFeatures alder = CpuFeatures.parse("amd64", "flags : avx2 avx_vnni\n");
        assertTrue(alder.vnni());
        CpuFeatures arm = CpuFeatures.parse("aarch64", "Features\t: fp asimd evtstrm aes crc32 asimddp\n");
        assertTrue(arm.armDotProd() && arm.fastInt8());
        assertEquals("aarch64: dot product", arm.describe());
    }

    @Test
    void noFlagsIsUnknown() {
        CpuFeatures c = CpuFeatures.parse("amd64", "processor : 0\n");
        assertFalse(c.known());
        assertEquals("this CPU", c.int8Kernel());
    }

    @Test
    void thisMachineMatchesItsCpuinfo() throws Exception {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assertTrue(Files.isReadable(cpuinfo), "the advisor's CPU detection reads /proc/cpuinfo (Linux)");
        CpuFeatures c = CpuFeatures.detect();
        String text = Files.readString(cpuinfo);
        assertTrue(c.known());
        assertEquals(text.contains(" avx2"), c.avx2());
        assertEquals(text.contains("avx512_vnni") || text.contains("avx_vnni"), c.vnni());
    }
}
