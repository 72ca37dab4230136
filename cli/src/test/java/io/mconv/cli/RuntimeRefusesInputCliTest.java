package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.ir.testing.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model mconv reads but ONNX Runtime refuses to load (an operator ORT has no kernel or schema for), command by
 * command. The commands whose job is to run the model, `validate` and `profile`, call it invalid input: exit 3,
 * "FILE: onnxruntime cannot load it: ..." (profile said exit 1). The commands that transform it, `optimize`,
 * `quantize` and `convert`, cannot prove their result: exit 1, "cannot validate in ONNX Runtime: the source does not
 * run", with `--no-validate` as the way on (quantize used to blame "the quantized model"). `check`'s verdict on such
 * a model is "won't run", exit 1. One stderr line each, nothing written, the input untouched.
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

    /** What one command said: its exit code and its one stderr line. */
    private static String oneLine(CliRun r, List<String> args, int exitCode, Path out) {
        assertEquals(exitCode, r.exitCode(), args + ": " + r.err());
        List<String> err = r.err().lines().toList();
        assertEquals(1, err.size(), args + ": " + r.err());
        assertTrue(err.get(0).contains("NoSuchOp"), "ORT's own reason: " + err.get(0));
        assertFalse(err.get(0).contains("quantized model"), "the source is named, not the result: " + err.get(0));
        assertFalse(Files.exists(out), args.toString());
        return err.get(0);
    }

    @Test
    void runningCommandsSayInvalidInputAndTransformingCommandsSayTheyCannotValidate() throws Exception {
        Path model = unknownOpModel();
        byte[] before = Files.readAllBytes(model);
        Path out = dir.resolve("out.onnx");
        for (List<String> args : List.of(
                List.of("profile", model.toString(), "--iterations", "3"),
                List.of("validate", model.toString(), model.toString()))) {
            String line = oneLine(CliRun.of(args.toArray(String[]::new)), args, ExitCodes.INVALID_INPUT, out);
            assertTrue(line.startsWith("mconv: error: " + model + ": onnxruntime cannot load it: "), line);
        }
        for (List<String> args : List.of(
                List.of("optimize", model.toString(), "-o", out.toString()),
                List.of("quantize", model.toString(), "--mode", "dynamic", "-o", out.toString()),
                List.of("convert", model.toString(), "--to", "onnx", "-o", out.toString(), "--no-cache"),
                List.of("convert", model.toString(), "--to", "onnx", "-o", out.toString()))) {
            String line = oneLine(CliRun.of(args.toArray(String[]::new)), args, ExitCodes.CHECK_FAILED, out);
            assertTrue(line.contains(model + ": cannot validate in ONNX Runtime: the source does not run: "), line);
            assertTrue(line.endsWith("(use --no-validate to write it unchecked)"), line);
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)), "the input is never modified");
        CliRun check = CliRun.of("check", model.toString());
        assertEquals(ExitCodes.CHECK_FAILED, check.exitCode(), check.err());
    }
}
