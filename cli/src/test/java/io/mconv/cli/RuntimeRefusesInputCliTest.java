package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.ir.testing.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model mconv reads but ONNX Runtime refuses to load (an operator ORT has no kernel or schema for) is invalid
 * input on every command that runs it: exit 3 and one line "FILE: onnxruntime cannot load it: ...", as `validate`
 * said. `profile`, `optimize`, `quantize` and `convert` used to say exit 1 (a failed check) and quantize blamed
 * "the quantized model". `check` is the exception by design: its verdict on such a model is "won't run", exit 1.
 */
class RuntimeRefusesInputCliTest {

    @TempDir
    Path dir;

    private Path unknownOpModel() throws Exception {
        ModelBuilder b = new ModelBuilder(17);
        var x = b.input("x", DataType.FLOAT, 1, 4);
        Path p = dir.resolve("unknown_op.onnx");
        Files.write(p, ProtoExporter.exportModel(b.output(b.node("NoSuchOp", x), DataType.FLOAT, 1, 4).model())
                .toByteArray());
        return p;
    }

    @Test
    void everyCommandThatRunsTheModelSaysExit3AndOneLine() throws Exception {
        Path model = unknownOpModel();
        byte[] before = Files.readAllBytes(model);
        Path out = dir.resolve("out.onnx");
        List<List<String>> commands = List.of(
                List.of("profile", model.toString(), "--iterations", "3"),
                List.of("validate", model.toString(), model.toString()),
                List.of("optimize", model.toString(), "-o", out.toString()),
                List.of("quantize", model.toString(), "--mode", "dynamic", "-o", out.toString()),
                List.of("convert", model.toString(), "--to", "onnx", "-o", out.toString(), "--no-cache"),
                List.of("convert", model.toString(), "--to", "onnx", "-o", out.toString()));
        List<String> lines = new ArrayList<>();
        for (List<String> args : commands) {
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(ExitCodes.INVALID_INPUT, r.exitCode(), args + ": " + r.err());
            List<String> err = r.err().lines().toList();
            assertEquals(1, err.size(), args + ": " + r.err());
            assertTrue(err.get(0).contains(model + ": onnxruntime cannot load it: "), args + ": " + err.get(0));
            assertTrue(err.get(0).contains("NoSuchOp"), "ORT's own reason: " + err.get(0));
            assertFalse(err.get(0).contains("quantized model"), "the source is named, not the result: " + err.get(0));
            assertFalse(Files.exists(out), args.toString());
            lines.add(err.get(0));
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)), "the input is never modified");
        CliRun check = CliRun.of("check", model.toString());
        assertEquals(ExitCodes.CHECK_FAILED, check.exitCode(), check.err());
    }
}
