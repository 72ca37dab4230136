package io.mconv.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.onnx.io.InvalidModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * state_dict + {@code --arch mlp} to ONNX: the written file, run in ONNX Runtime on the fixture's fixed input, gives
 * torch's own numbers (make_statedict_fixtures.py); shape mismatches, leftovers and BatchNorm buffers are refused
 * naming the tensor; nothing is written on a refusal.
 */
class StateDictConverterTest {

    private static final Tolerance TORCH_MATCH = Tolerance.of(1e-5, 0);

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return Fixtures.testdata().resolve("torch/statedict/" + name);
    }

    private static StateDictExportOptions options(String arch, int opset, Shape inputShape, boolean validate) {
        return new StateDictExportOptions(ArchSpec.parse(arch), opset, inputShape, validate, Tolerance.of(1e-4, 1e-3),
                0, ExternalDataPolicy.AUTO, 0);
    }

    private TorchExportResult export(String name, String arch, int opset) throws IOException {
        return new StateDictConverter().convert(fixture(name + ".pt"), dir.resolve(name + ".onnx"),
                options(arch, opset, null, true));
    }

    /** Runs the written file in ORT on the fixture's input and compares with torch's output. */
    private static ComparisonResult matchTorch(Path onnx, String name) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(fixture(name + ".json").toFile());
        Tensor input = Tensor.ofFloats("input", longs(doc.get("input_shape")), floats(doc.get("input")));
        Tensor expected = Tensor.ofFloats("output", longs(doc.get("output_shape")), floats(doc.get("output")));
        try (OrtModelRunner ort = OrtModelRunner.open(onnx, OrtSessionConfig.forValidation())) {
            Tensor actual = ort.run(Map.of("input", input)).get("output");
            return TensorComparison.compare("output", expected, actual, TORCH_MATCH);
        }
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    @Test
    void reluMlpComputesWhatTorchComputes() throws IOException {
        TorchExportResult r = export("mlp_relu", "mlp:8,16,4", 17);
        assertEquals(Map.of("Gemm", 2, "Relu", 1), r.opHistogram());
        assertEquals(TorchExportResult.STATE_DICT, r.sourceFormat());
        assertEquals(17, r.opset());
        assertTrue(r.validation().passed(), r.validation().firstFailure());
        assertEquals(EvaluatorValidation.REFERENCE, r.validation().reference());
        assertTrue(r.validation().candidate().startsWith("onnxruntime"), r.validation().candidate());
        ComparisonResult c = matchTorch(r.written().modelFile(), "mlp_relu");
        assertTrue(c.passed(), c.reason());
        assertEquals(8, c.elementCount());
        try (OrtModelRunner ort = OrtModelRunner.open(r.written().modelFile(), OrtSessionConfig.forValidation())) {
            ValueType.TensorType in = (ValueType.TensorType) ort.inputs().get("input");
            assertEquals(new Shape(java.util.List.of(Dim.symbolic("batch"), Dim.of(8))), in.shape());
            assertEquals(java.util.List.of("output"), java.util.List.copyOf(ort.outputs().keySet()));
        }
    }

    @Test
    void biasFreeLayersBecomeTwoInputGemms() throws IOException {
        TorchExportResult r = export("mlp_nobias", "mlp:8,16,4:relu", 17);
        assertEquals(Map.of("Gemm", 2, "Relu", 1), r.opHistogram());
        ComparisonResult c = matchTorch(r.written().modelFile(), "mlp_nobias");
        assertTrue(c.passed(), c.reason());
    }

    @Test
    void geluIsTheErfFormulaBeforeOpset20AndTheGeluOpFrom20() throws IOException {
        TorchExportResult formula = export("mlp_gelu", "mlp:8,16,4:gelu", 17);
        assertEquals(Map.of("Gemm", 2, "Div", 1, "Erf", 1, "Add", 1, "Mul", 2), formula.opHistogram());
        ComparisonResult c17 = matchTorch(formula.written().modelFile(), "mlp_gelu");
        assertTrue(c17.passed(), c17.reason());

        TorchExportResult op = new StateDictConverter().convert(fixture("mlp_gelu.pt"), dir.resolve("gelu20.onnx"),
                options("mlp:8,16,4:gelu", 20, null, true));
        assertEquals(Map.of("Gemm", 2, "Gelu", 1), op.opHistogram());
        assertTrue(op.validation().passed(), op.validation().firstFailure());
        ComparisonResult c20 = matchTorch(op.written().modelFile(), "mlp_gelu");
        assertTrue(c20.passed(), c20.reason());
    }

    @Test
    void inputShapeFixesTheBatch() throws IOException {
        TorchExportResult r = new StateDictConverter().convert(fixture("mlp_relu.pt"), dir.resolve("fixed.onnx"),
                options("mlp:8,16,4", 17, Shape.of(2, 8), false));
        assertNull(r.validation());
        try (OrtModelRunner ort = OrtModelRunner.open(r.written().modelFile(), OrtSessionConfig.forValidation())) {
            assertEquals(Shape.of(2, 8), ((ValueType.TensorType) ort.inputs().get("input")).shape());
        }
        assertTrue(matchTorch(r.written().modelFile(), "mlp_relu").passed());
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new StateDictConverter()
                .convert(fixture("mlp_relu.pt"), dir.resolve("bad.onnx"), options("mlp:8,16,4", 17,
                        Shape.of(1, 9), true)));
        assertTrue(e.getMessage().contains("[N, 8]"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bad.onnx")));
    }

    @Test
    void aWeightOfAnotherShapeIsRefusedNamingTheTensor() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> export("mlp_relu", "mlp:8,32,4", 17));
        assertTrue(e.getMessage().contains("'0.weight' has shape [16, 8]"), e.getMessage());
        assertTrue(e.getMessage().contains("expects [32, 8]"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("mlp_relu.onnx")));

        InvalidModelException bias = assertThrows(InvalidModelException.class,
                () -> export("mlp_relu", "mlp:8,16,5", 17));
        assertTrue(bias.getMessage().contains("'2.weight' has shape [4, 16]"), bias.getMessage());
        assertTrue(bias.getMessage().contains("expects [5, 16]"), bias.getMessage());
    }

    @Test
    void tooFewOrTooManyLayersAreRefused() {
        InvalidModelException more = assertThrows(InvalidModelException.class,
                () -> export("mlp_relu", "mlp:8,16,4,2", 17));
        assertTrue(more.getMessage().contains("holds 2 Linear layer(s) but --arch mlp:8,16,4,2:relu describes 3"),
                more.getMessage());
        InvalidModelException fewer = assertThrows(InvalidModelException.class,
                () -> export("mlp_relu", "mlp:8,16", 17));
        assertTrue(fewer.getMessage().contains("2 tensor(s) left over"), fewer.getMessage());
        assertTrue(fewer.getMessage().contains("2.weight [4, 16], 2.bias [4]"), fewer.getMessage());
    }

    @Test
    void batchNormBuffersAreRefused() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> export("mlp_batchnorm", "mlp:8,16,4", 17));
        assertTrue(e.getMessage().contains("1.running_mean, 1.running_var, 1.num_batches_tracked"), e.getMessage());
        assertTrue(e.getMessage().contains("torch.jit.trace"), e.getMessage());
    }

    @Test
    void opsetOutsideTheExportRangeIsAUsageError() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new StateDictConverter()
                .convert(fixture("mlp_relu.pt"), dir.resolve("x.onnx"), options("mlp:8,16,4", 12, null, true)));
        assertTrue(e.getMessage().contains("--opset 12"), e.getMessage());
    }
}
