package io.mconv.agent.runtime.ort;

import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mconv.agent.runtime.ort.ExecutionProvider.CPU;
import static io.mconv.agent.runtime.ort.ExecutionProvider.CUDA;
import static io.mconv.agent.runtime.ort.ExecutionProvider.TENSORRT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Provider selection is pure, so GPU cases are tested on a CPU-only machine. */
class ProviderSelectionTest {

    private static final Set<ExecutionProvider> CPU_ONLY = EnumSet.of(CPU);

    @Test
    void fallbackDropsMissingProviderWithAWarning() {
        ProviderSelection s = ProviderSelection.select(List.of(CUDA, CPU), CPU_ONLY, true);
        assertEquals(List.of(CPU), s.chosen());
        assertEquals(1, s.warnings().size());
        String w = s.warnings().get(0);
        assertTrue(w.contains("cuda (CUDAExecutionProvider) is not available"), w);
        assertTrue(w.contains("available here: cpu"), w);
        assertTrue(w.contains("onnxruntime_gpu") && w.contains("CUDA 12"), w);
        assertTrue(w.endsWith("Falling back to cpu."), w);
    }

    @Test
    void withoutFallbackMissingProviderThrowsWithHowToGetIt() {
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
                () -> ProviderSelection.select(List.of(CUDA, CPU), CPU_ONLY, false));
        assertEquals(CUDA, e.provider());
        assertTrue(e.getMessage().contains("cuda (CUDAExecutionProvider) is not available"), e.getMessage());
        assertTrue(e.getMessage().contains("available here: cpu"), e.getMessage());
        assertTrue(e.getMessage().contains("onnxruntime_gpu jar"), e.getMessage());
    }

    @Test
    void availableProvidersKeepTheirOrderAndCpuComesLast() {
        Set<ExecutionProvider> gpuBuild = EnumSet.of(CPU, CUDA, TENSORRT);
        assertEquals(List.of(TENSORRT, CUDA, CPU),
                ProviderSelection.select(List.of(TENSORRT, CUDA), gpuBuild, false).chosen());
        assertEquals(List.of(CPU, CUDA), ProviderSelection.select(List.of(CPU, CUDA, CPU), gpuBuild, false).chosen());
        assertEquals(List.of(CPU), ProviderSelection.select(List.of(), CPU_ONLY, false).chosen());
        assertEquals(List.of(), ProviderSelection.select(List.of(CUDA), gpuBuild, false).warnings());
    }

    @Test
    void parseAcceptsUserOrtAndEnumNamesAndListsChoicesOnError() {
        assertEquals(CUDA, ExecutionProvider.parse("cuda"));
        assertEquals(CUDA, ExecutionProvider.parse("CUDAExecutionProvider"));
        assertEquals(TENSORRT, ExecutionProvider.parse(" TensorRT "));
        assertEquals(List.of(CUDA, CPU), ExecutionProvider.parseList("cuda, cpu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutionProvider.parse("gpu"));
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("cpu, cuda, tensorrt"), e.getMessage());
        assertEquals("CPUExecutionProvider", CPU.ortName());
        assertEquals(GraphOptimizationLevel.BASIC, GraphOptimizationLevel.parse("basic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GraphOptimizationLevel.parse("max"))
                .getMessage().contains("none, basic, extended, all"));
    }

    @Test
    void thisBuildHasCpu() {
        assertTrue(ExecutionProvider.available().contains(CPU));
    }

    @Test
    void runnerFallsBackToCpuOrRefusesOnThisCpuOnlyBuild() {
        // The build pins ORT's CPU-only jar (com.microsoft.onnxruntime:onnxruntime); on a GPU jar this test's
        // premise is wrong, and it says so rather than skipping.
        assertFalse(ExecutionProvider.available().contains(CUDA),
                "expected the CPU-only onnxruntime jar, but CUDA is available: run this test with the CPU build");
        Model m = TinyModel.unary("Relu", TinyModel.tensor(DataType.FLOAT, 2), TinyModel.tensor(DataType.FLOAT, 2));
        OrtSessionConfig withFallback = OrtSessionConfig.forValidation().withProviders(List.of(CUDA, CPU), true);
        try (OrtModelRunner r = OrtModelRunner.open(m, withFallback)) {
            assertEquals(List.of(CPU), r.providers());
            assertEquals(1, r.warnings().size());
            assertTrue(r.warnings().get(0).contains("cuda"), r.warnings().get(0));
            Tensor y = r.run(Map.of("x", Tensor.ofFloats("x", new long[] {2}, -1, 2))).get("relu_0");
            assertArrayEquals(new float[] {0, 2}, y.toFloatArray());
        }
        OrtSessionConfig strict = OrtSessionConfig.forValidation().withProviders(List.of(CUDA, CPU), false);
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
                () -> OrtModelRunner.open(m, strict));
        assertTrue(e.getMessage().contains("CUDA 12"), e.getMessage());
    }
}
