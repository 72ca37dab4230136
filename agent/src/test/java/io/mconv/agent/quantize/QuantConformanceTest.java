package io.mconv.agent.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.quantize.calibration.CalibrationFolder;
import io.mconv.agent.quantize.calibration.CalibrationSamples;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.conformance.ConformanceSuite;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.onnx.proto.Onnx;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import io.mconv.passes.Target;
import io.mconv.passes.fold.FoldConstants;
import io.mconv.passes.quantize.QuantFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The suite's pytorch-converted Conv and Linear models, quantized four ways, still match their stored outputs within
 * an int8 tolerance derived from the output's range: dynamic int8 (Conv included, 7-bit weights) in QOperator form
 * (ConvInteger, MatMulInteger) and in QDQ per-channel form, and static int8 QDQ per-channel and QOperator, MinMax-calibrated on
 * the case's own stored input (there is only one sample). Every model is prepared the way {@link StaticQuantizer}
 * prepares one: initializers that are also graph inputs become constants, opset converted to 13 by the opset
 * converter (test_Linear's opset-6 Gemm with its broadcast attribute included).
 *
 * <p>Tolerance: {@code atol = K × (max − min) / 255} of the stored output, rtol 0: K output quantization steps.
 * One step is what rounding the output alone to 8 bits costs; the input and the weights are each rounded too and
 * their errors add up over the reduction, which in these small models stays within a few steps.
 */
class QuantConformanceTest {

    /** Output steps of slack: measured worst is printed per model (about 1 to 3 steps). */
    private static final double K = 4;

    private enum Form {
        DYNAMIC_QOPERATOR, DYNAMIC_QDQ, STATIC_QDQ_PER_CHANNEL, STATIC_QOPERATOR
    }

    private static List<Path> cases() throws Exception {
        Path section = ConformanceSuite.root().resolve("pytorch-converted");
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(section)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.startsWith("test_Conv") && !n.startsWith("test_ConvTranspose"))
                        || n.startsWith("test_Linear");
            }).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void convAndLinearModelsStayWithinInt8ToleranceOfTheStoredOutputs() throws Exception {
        List<Path> cases = cases();
        assertTrue(cases.size() >= 25, "expected the suite's ~30 Conv/Linear cases, found " + cases.size());
        System.out.printf("int8 conformance: atol = %.0f x (max - min) / 255 of the stored output, rtol 0%n", K);
        System.out.printf("  %-48s %-24s %10s %10s %6s  %s%n", "case", "form", "atol", "worst err", "steps", "ops");
        List<String> failures = new ArrayList<>();
        double worstSteps = 0;
        int measured = 0;
        for (Path dir : cases) {
            Tensor expected = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                    Files.readAllBytes(dir.resolve("test_data_set_0/output_0.pb"))));
            double step = range(expected) / 255;
            Tolerance tolerance = Tolerance.of(K * step, 0);
            for (Form form : Form.values()) {
                String label = ConformanceSuite.label(dir);
                try (IrModelFile file = new ModelLoader().load(dir.resolve("model.onnx"))) {
                    Model model = file.model();
                    StaticQuantizer.prepare(model, StaticQuantizeOptions.defaults());
                    CalibrationSamples samples = new CalibrationFolder().read(dir,
                            StaticQuantizer.feedableInputs(model));
                    PassReport report = quantize(model, form, dir);
                    assertTrue(GraphVerifier.check(model).isEmpty(), label + ": " + GraphVerifier.check(model));
                    assertTrue(report.totalRewrites() >= 1, label + " " + form + ": nothing quantized "
                            + report.diagnostics());
                    String out = model.graph().outputs().get(0).name();
                    Tensor actual;
                    try (OrtModelRunner ort = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
                        actual = ort.run(samples.samples().get(0), List.of(out)).get(out);
                    }
                    ComparisonResult c = TensorComparison.compare(out, expected, actual, tolerance);
                    worstSteps = Math.max(worstSteps, c.maxAbsError() / step);
                    measured++;
                    System.out.printf("  %-48s %-24s %10.5f %10.5f %6.2f  %s%n", label, form, tolerance.atol(),
                            c.maxAbsError(), c.maxAbsError() / step, quantizedOps(model));
                    if (!c.passed()) {
                        failures.add(label + " " + form + ": " + c);
                    }
                }
            }
        }
        System.out.printf("%d models x %d forms, worst error %.2f output steps (tolerance %.0f steps)%n",
                cases.size(), Form.values().length, worstSteps, K);
        assertEquals(cases.size() * Form.values().length, measured, "every case quantized in every form");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static PassReport quantize(Model model, Form form, Path dir) {
        PassContext ctx = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.PORTABLE);
        return switch (form) {
            case DYNAMIC_QOPERATOR, DYNAMIC_QDQ -> {
                // 7-bit weights, as the README advises on CPUs without VNNI: ORT's u8s8 MatMulInteger kernel on AVX2
                // sums pairs of products in saturating int16, which costs test_Linear 60 output steps at 8 bits
                QuantizeOptions o = QuantizeOptions.defaults(QuantizeMode.DYNAMIC).withIncludeConv(true)
                        .withPerChannel(form == Form.DYNAMIC_QDQ).withReduceRange(true)
                        .withFormat(form == Form.DYNAMIC_QDQ ? QuantFormat.QDQ : QuantFormat.QOPERATOR);
                // dynamic quantization needs the weight as a constant: test_Linear_no_bias transposes it in the
                // graph, which folding turns into one (what `mconv optimize` does before quantizing)
                new FoldConstants().run(model, ctx);
                yield new PassManager(QuantizationPlan.from(o).passes()).run(model, ctx);
            }
            case STATIC_QDQ_PER_CHANNEL, STATIC_QOPERATOR -> {
                StaticQuantizeOptions o = StaticQuantizeOptions.defaults()
                        .withFormat(form == Form.STATIC_QDQ_PER_CHANNEL ? StaticQuantizeOptions.QuantFormat.QDQ
                                : StaticQuantizeOptions.QuantFormat.QOPERATOR, Target.PORTABLE)
                        .withCalibration(dir, 1, 0);
                // prepare() has run already; apply() runs it again, which changes nothing the second time
                yield new StaticQuantizer().apply(model, o).passes();
            }
        };
    }

    private static double range(Tensor t) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : t.toDoubleArray()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }

    private static Map<String, Integer> quantizedOps(Model m) {
        Map<String, Integer> ops = new TreeMap<>();
        m.graph().nodes().forEach(n -> ops.merge(n.opType(), 1, Integer::sum));
        ops.keySet().retainAll(List.of("ConvInteger", "MatMulInteger", "QLinearConv", "QLinearMatMul", "Conv",
                "MatMul", "Gemm", "DequantizeLinear", "QGemm"));
        return ops;
    }
}
