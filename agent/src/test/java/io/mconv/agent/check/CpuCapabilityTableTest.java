package io.mconv.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import io.mconv.passes.ort.ContribSchemas;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled cpu table is what the ONNX Runtime on the classpath actually does: the generator probes every
 * operator version and type again and the result must equal the resource, line for line. It also writes the
 * regenerated file to {@code target/check/cpu.caps} (tools/check/regenerate-cpu-table.sh copies it into place).
 */
class CpuCapabilityTableTest {

    @Test
    void theBundledCpuTableMatchesWhatOnnxRuntimeReports() throws Exception {
        CpuTableGenerator.Outcome o = CpuTableGenerator.generate(ContribSchemas.registry(),
                List.of("ai.onnx", "ai.onnx.ml", "com.microsoft"));
        String generated = CpuTableGenerator.render(o, CpuTableGenerator.limits(),
                OrtEnvironment.getEnvironment().getVersion());
        Path out = Path.of("target", "check", "cpu.caps");
        Files.createDirectories(out.getParent());
        Files.writeString(out, generated);
        System.out.printf("cpu table: %d probes, %d kernel lines, %d versions the probe could not settle%n",
                o.probes(), o.lines().size(), o.inconclusive().size());
        o.inconclusive().forEach(l -> System.out.println("  not settled: " + l.substring(0, Math.min(160, l.length()))));

        String bundled;
        try (InputStream in = CapabilityTables.class.getResourceAsStream("cpu.caps")) {
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(o.lines().size() > 250, "expected kernel lines for most operators, got " + o.lines().size());
        assertEquals(generated, bundled, "src/main/resources/io/mconv/agent/check/cpu.caps differs from what "
                + "ONNX Runtime reports now; run tools/check/regenerate-cpu-table.sh and review the diff");
        CapabilityTable table = CapabilityTableReader.read(
                new java.io.ByteArrayInputStream(bundled.getBytes(StandardCharsets.UTF_8)), "cpu.caps");
        // Facts from ORT's OperatorKernels.md the probe must reproduce.
        assertTrue(table.kernel("ai.onnx", "Add", 6).isEmpty(), "ORT has no Add-6 kernel");
        assertTrue(table.kernel("ai.onnx", "Add", 7).isPresent());
        assertTrue(table.kernel("ai.onnx", "BitShift", 11).orElseThrow().allows("T", "tensor(uint8)"));
        assertTrue(!table.kernel("ai.onnx", "BitShift", 11).orElseThrow().allows("T", "tensor(int8)"));
    }
}
