package io.mconv.agent.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.ir.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools/quantize/check_models.py ({@code onnx.checker.check_model(full_check=True)} of Debian's python3-onnx,
 * onnx 1.12) on quantized files and fails the test on any finding. onnx 1.12 knows opsets up to 17, so models at
 * opset 21 (int4/int8 QDQ with blocked DequantizeLinear) cannot be checked by it; callers leave those out and say so.
 */
final class OnnxCheckScript {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private OnnxCheckScript() {
    }

    static void assertValid(List<Path> models) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            fail("/usr/bin/python3 is missing: sudo apt-get install python3 python3-onnx");
        }
        Path script = Fixtures.testdata().getParent().resolve("tools/quantize/check_models.py");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        models.forEach(m -> cmd.add(m.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("check_models.py did not finish in 300 s");
        }
        System.out.print(out);
        if (p.exitValue() == 2) {
            fail("python3-onnx is missing: sudo apt-get install python3-onnx (" + out.trim() + ")");
        }
        assertEquals(0, p.exitValue(), "onnx.checker findings:\n" + out);
        assertEquals(models.size(), out.lines().filter(l -> l.startsWith("OK ")).count(), out);
    }
}
