package io.mconv.agent.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.QuantFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance point "every quantized model passes onnx.checker.check_model(full_check=True) and runs in
 * ORT": every mode and form {@code mconv quantize} offers, on bert_like and resnet18, written (accuracy is other
 * tests' business, so unvalidated), run once in ONNX Runtime, then checked by tools/quantize/check_models.py with
 * Debian's python3-onnx. onnx 1.12 knows opsets up to 17, so the opset-21 int4 QDQ form is left out (it is run in
 * ORT by QuantizeRealModelsTest).
 */
class QuantizedModelsCheckerTest {

    @TempDir
    Path dir;

    private final List<Path> written = new ArrayList<>();

    @Test
    void everyModeOfBertLikeAndResnet18PassesTheOnnxChecker() throws Exception {
        for (String model : List.of("bert_like", "resnet18")) {
            Path source = Fixtures.generated(model + ".onnx");
            QuantizeOptions dynamic = QuantizeOptions.defaults(QuantizeMode.DYNAMIC).withValidate(false);
            plain(source, model, "dynamic-qop", dynamic);
            plain(source, model, "dynamic-qdq-pc", dynamic.withFormat(QuantFormat.QDQ).withPerChannel(true));
            plain(source, model, "dynamic-u8", dynamic.withWeightType(DataType.UINT8).withReduceRange(true));
            plain(source, model, "dynamic-conv-qop", dynamic.withIncludeConv(true));
            plain(source, model, "dynamic-conv-qdq", dynamic.withIncludeConv(true).withFormat(QuantFormat.QDQ)
                    .withPerChannel(true));
            QuantizeOptions weightOnly = QuantizeOptions.defaults(QuantizeMode.WEIGHT_ONLY).withValidate(false);
            plain(source, model, "int4-nbits", weightOnly);
            plain(source, model, "int8-nbits", weightOnly.withWeightType(DataType.INT8));
            plain(source, model, "fp16", QuantizeOptions.defaults(QuantizeMode.FP16).withValidate(false));
            plain(source, model, "none", QuantizeOptions.defaults(QuantizeMode.NONE).withValidate(false));
            StaticQuantizeOptions stat = StaticQuantizeOptions.defaults().withCalibration(null, 2, 0);
            quantizeStatic(source, model, "static-qdq-pc", stat);
            quantizeStatic(source, model, "static-qop", stat.withFormat(StaticQuantizeOptions.QuantFormat.QOPERATOR,
                    Target.PORTABLE));
            quantizeStatic(source, model, "static-qop-ort", stat.withFormat(
                    StaticQuantizeOptions.QuantFormat.QOPERATOR, Target.ORT));
        }
        assertEquals(24, written.size());
        OnnxCheckScript.assertValid(written);
    }

    private void plain(Path source, String model, String tag, QuantizeOptions options) throws Exception {
        Path out = dir.resolve(model + "." + tag + ".onnx");
        QuantizeResult r = new Quantizer().quantize(source, out, options);
        accept(r, out, model, tag);
    }

    private void quantizeStatic(Path source, String model, String tag, StaticQuantizeOptions options)
            throws Exception {
        Path out = dir.resolve(model + "." + tag + ".onnx");
        QuantizeResult r = new Quantizer().quantizeStatic(source, out, options, false);
        accept(r, out, model, tag);
    }

    /** Runs the written file once in ORT (as users run it) and keeps it for the checker. */
    private void accept(QuantizeResult r, Path out, String model, String tag) {
        assertTrue(r.opsetAfter() <= 17, tag + ": opset " + r.opsetAfter());
        // weight-only covers MatMul, and resnet18's only linear layer is a Gemm
        boolean nothingToDo = tag.equals("none") || model.equals("resnet18") && tag.endsWith("nbits");
        if (!nothingToDo) {
            assertTrue(r.passes().totalRewrites() > 0, tag + ": nothing rewritten " + r.notes());
        }
        try (OrtModelRunner ort = OrtModelRunner.open(out, OrtSessionConfig.defaults())) {
            Map<String, Tensor> outputs = ort.run(new RandomInputs(3).generate(ort.inputs(), Map.of()));
            assertEquals(ort.outputs().keySet(), outputs.keySet(), tag);
        }
        System.out.printf("%-40s %-70s %s%n", out.getFileName(), r.plan(), r.passes().opsAfter());
        written.add(out);
    }
}
