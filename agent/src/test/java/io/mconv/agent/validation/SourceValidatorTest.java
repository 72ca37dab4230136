package io.mconv.agent.validation;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.runtime.RuntimeIsolation;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.torch.TorchFixtures;
import io.mconv.ir.DataType;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.WriteOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.mconv.agent.runtime.torch.TorchFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A .pt in real libtorch against its ONNX export in real ONNX Runtime, and the refusals around it. */
class SourceValidatorTest {

    @BeforeAll
    static void libtorchIsThere() {
        TorchFixtures.requireLibtorch();
    }

    private static SourceValidation validate(SourceValidator.Options options, String source, String target) {
        return new SourceValidator(options).validate(file(source), file(target));
    }

    @Test
    void theExportMatchesItsTorchScriptSourceOnRandomInputs() {
        SourceValidation v = validate(SourceValidator.Options.defaults(), "two_input_cnn.pt", "two_input_cnn.onnx");
        assertTrue(v.passed(), () -> v.report().outputs().toString());
        assertEquals(SourceKind.TORCHSCRIPT, v.sourceKind());
        assertEquals(List.of("logits", "features"), v.report().outputs().stream().map(ComparisonResult::name).toList());
        for (ComparisonResult r : v.report().outputs()) {
            assertTrue(r.maxAbsError() < 1e-4, r::toString);
            assertTrue(r.cosineSimilarity() > 0.999999, r::toString);
            assertEquals(SourceValidator.FP32_ACROSS_RUNTIMES, r.tolerance());
        }
        assertEquals(List.of("image", "bias"), List.copyOf(v.feeds().keySet()));
        assertEquals("random (seed 0)", v.inputsOrigin());
        assertTrue(v.report().reference().startsWith("libtorch 2.7.1"), v.report().reference());
        assertTrue(v.report().candidate().startsWith("onnxruntime"), v.report().candidate());
        assertNotNull(v.torchStartup());
    }

    @Test
    void thePerturbedExportDoesNotMatchAndTheReportSaysWhere() {
        SourceValidation v = validate(SourceValidator.Options.defaults(), "two_input_cnn.pt",
                "two_input_cnn_perturbed.onnx");
        assertFalse(v.passed());
        ComparisonResult logits = v.report().outputs().get(0);
        assertFalse(logits.passed());
        assertTrue(logits.maxAbsError() > 1e-2, logits::toString);
        assertEquals(2, logits.worstIndex().length);
        // Only the last layer was perturbed: the features before it still match.
        assertTrue(v.report().outputs().get(1).passed(), () -> v.report().outputs().get(1).toString());
    }

    @Test
    void inputFilesFeedBothSidesAndOnnxSourcesRunInOnnxRuntime() {
        SourceValidator.Options fromFiles = SourceValidator.Options.defaults()
                .withInputsDir(file("test_data_set_0/input_0.pb").getParent());
        SourceValidation torch = validate(fromFiles, "two_input_cnn.pt", "two_input_cnn.onnx");
        assertTrue(torch.passed(), () -> torch.report().outputs().toString());
        assertTrue(torch.inputsOrigin().startsWith("input_N.pb files in "), torch.inputsOrigin());
        SourceValidation onnx = validate(fromFiles, "two_input_cnn.onnx", "two_input_cnn_perturbed.onnx");
        assertEquals(SourceKind.ONNX, onnx.sourceKind());
        assertFalse(onnx.passed());
        assertTrue(onnx.report().reference().startsWith("onnxruntime"), onnx.report().reference());
        SourceValidation same = validate(fromFiles, "two_input_cnn.onnx", "two_input_cnn.onnx");
        assertTrue(same.passed());
        assertEquals(0.0, same.report().outputs().get(0).maxAbsError());
    }

    @Test
    void unreadableFilesAreInvalidInputsNamingTheFile(@TempDir Path dir) throws IOException {
        Path notZip = Files.writeString(dir.resolve("model.pt"), "not a zip");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> new SourceValidator(
                SourceValidator.Options.defaults()).validate(notZip, file("two_input_cnn.onnx")));
        assertTrue(e.getMessage().startsWith(notZip + ": is not a zip archive"), e.getMessage());
        Path badOnnx = Files.writeString(dir.resolve("model.onnx"), "garbage");
        InvalidModelException o = assertThrows(InvalidModelException.class, () -> new SourceValidator(
                SourceValidator.Options.defaults()).validate(file("two_input_cnn.pt"), badOnnx));
        assertTrue(o.getMessage().startsWith(badOnnx.toString()), o.getMessage());
        // A zip that is no TorchScript file gets as far as libtorch, which refuses it.
        Path zip = dir.resolve("fake.pt");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("hello.txt"));
            out.write(1);
        }
        InvalidModelException t = assertThrows(InvalidModelException.class, () -> new SourceValidator(
                SourceValidator.Options.defaults()).validate(zip, file("two_input_cnn.onnx")));
        assertTrue(t.getMessage().startsWith(zip + ": libtorch cannot load it: "), t.getMessage());
        assertFalse(t.getMessage().contains("\n"), "one line: " + t.getMessage());
        InvalidModelException missing = assertThrows(InvalidModelException.class, () -> new SourceValidator(
                SourceValidator.Options.defaults().withInputsDir(dir)).validate(file("two_input_cnn.pt"),
                file("two_input_cnn.onnx")));
        assertTrue(missing.getMessage().startsWith(dir.resolve("input_0.pb") + ": no such file"),
                missing.getMessage());
        assertThrows(InvalidOptionException.class, () -> new SourceValidator(SourceValidator.Options.defaults())
                .validate(dir.resolve("model.txt"), file("two_input_cnn.onnx")));
    }

    @Test
    void aModelOnnxRuntimeCannotLoadIsNamedOnceInOneLineInProcessAndIsolated(@TempDir Path dir) throws IOException {
        // bfloat16 Mul at opset 13: valid ONNX, but ORT 1.29's cpu provider has no such kernel.
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.BFLOAT16, 2);
        Path model = dir.resolve("bf16_mul.onnx");
        new ModelSaver().save(b.output(b.node("Mul", x, x)).model(), model,
                WriteOptions.defaults());
        for (SourceValidator.Options o : List.of(SourceValidator.Options.defaults(), SourceValidator.Options.defaults()
                .withIsolation(RuntimeIsolation.isolated(Duration.ofMinutes(1))))) {
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> new SourceValidator(o).validate(model, model));
            String m = e.getMessage();
            assertTrue(m.startsWith(model + ": onnxruntime cannot load it: "), m);
            assertEquals(m.indexOf("cannot load"), m.lastIndexOf("cannot load"), "said once: " + m);
            assertTrue(m.contains("Mul(13)"), m);
            assertFalse(m.contains("\n"), m);
        }
    }
}
