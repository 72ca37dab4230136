package io.mconv.agent.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.proto.Onnx;
import io.mconv.passes.Target;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6's acceptance for lowering: every opset-17 model of the generated zoo converted to opset 13 runs in ORT
 * and matches the original's ORT outputs on the stored input, for both targets of the converter.
 *
 * <p>ORT target: LayerNormalization, which standard opset 13 lacks, is kept (ORT registers it in the ONNX domain
 * below 17, OrtLayerNormalizationBelow17Test), so the bound is issue 6's as written: 1e-5 relative, no absolute
 * slack. Portable target: LayerNormalization is written out in elementary ops, and ORT's fused kernel accumulates
 * the statistics with a sequential float Welford update that no vectorized ReduceMean reproduces
 * (LayerNormalizationWrittenOutTest), so outputs near zero differ by float rounding: the bound is 1e-5 relative
 * plus 1e-6 absolute, and the count of elements past 1e-5 relative alone is printed. A table of both is printed at
 * the end (README, "Opset conversion").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZooOpsetDowngradeTest {

    private static final Tolerance PORTABLE_BOUND = Tolerance.of(1e-6, 1e-5);
    /** Issue 6's bound as written: asserted for the ORT target, reported for the portable one. */
    private static final Tolerance RELATIVE = Tolerance.of(0, 1e-5);

    private record Row(String model, Target target, long layerNorms, long elements, double maxAbs, double maxRel,
                       long pastRelative, boolean passed) {
    }

    /** The original's ORT output per model, computed once for both targets. */
    private final Map<String, Tensor> originals = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"tiny_cnn", "resnet18", "resnet18_dynamic", "mobilenet_v2", "efficientnet_b0",
            "convnext_tiny", "resnet50", "bert_like", "bert_manual_ln", "gpt2_like", "mlp_100mb", "external_small"})
    void forPortableLayerNormalizationIsWrittenOutAndMatchesWithinRounding(String name) throws Exception {
        Row row = measure(name, Target.PORTABLE, PORTABLE_BOUND);
        assertEquals(0, row.layerNorms(), "LayerNormalization does not exist at standard opset 13");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_cnn", "resnet18", "resnet18_dynamic", "mobilenet_v2", "efficientnet_b0",
            "convnext_tiny", "resnet50", "bert_like", "bert_manual_ln", "gpt2_like", "mlp_100mb", "external_small"})
    void forOrtLayerNormalizationIsKeptAndMatchesWithin1e5Relative(String name) throws Exception {
        Row row = measure(name, Target.ORT, RELATIVE);
        assertEquals(0, row.pastRelative());
    }

    /** Converts a fresh copy of the model to 13 for {@code target}, runs it in ORT and compares within {@code bound}. */
    private Row measure(String name, Target target, Tolerance bound) throws Exception {
        Path source = Fixtures.generated(name + ".onnx");
        Tensor input = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                Files.readAllBytes(Fixtures.generated(name + ".input.pb"))));
        try (IrModelFile file = new ModelLoader().load(source)) {
            Model model = file.model();
            assertEquals(17, model.opsetVersion(""));
            String inputName = model.graph().inputs().stream().filter(v -> !v.isInitializer())
                    .findFirst().orElseThrow().name();
            String outputName = model.graph().outputs().get(0).name();
            Map<String, Tensor> feeds = Map.of(inputName, input);
            Tensor original = originals.computeIfAbsent(name, n -> run(source, null, feeds, outputName));
            long layerNormsBefore = layerNorms(model);
            OpsetConverter.Result result = new OpsetConverter(OpSchemaRegistry.standard(), target).convert(model, 13);
            GraphVerifier.verify(model);
            assertEquals(13, model.opsetVersion(""));
            long layerNormsAfter = layerNorms(model);
            if (target == Target.ORT) {
                assertEquals(layerNormsBefore, layerNormsAfter, "the ORT target keeps every LayerNormalization");
            }
            Tensor converted = run(null, model, feeds, outputName);
            ComparisonResult r = TensorComparison.compare(outputName, original, converted, bound);
            ComparisonResult relativeOnly = TensorComparison.compare(outputName, original, converted, RELATIVE);
            Row row = new Row(name, target, layerNormsAfter, r.elementCount(), r.maxAbsError(), r.maxRelError(),
                    relativeOnly.mismatches(), r.passed());
            rows.add(row);
            System.out.printf("%s 17 -> 13 for %s: adapted %s; %d output elements, max abs error %.3g, max rel error"
                    + " %.3g, %d elements past 1e-5 relative alone, %s%n", name, target, result.adaptedByOp(),
                    r.elementCount(), r.maxAbsError(), r.maxRelError(), relativeOnly.mismatches(),
                    r.passed() ? "PASS" : "FAIL " + r.reason());
            assertTrue(r.passed(), r.toString());
            assertTrue(r.elementCount() > 0);
            return row;
        }
    }

    private static Tensor run(Path file, Model model, Map<String, Tensor> feeds, String output) {
        try (ModelRunner ort = file != null ? OrtModelRunner.open(file, OrtSessionConfig.forValidation())
                : OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            return ort.run(feeds).get(output);
        } catch (Exception e) {
            throw new AssertionError("ORT failed on " + (file != null ? file : "the converted model") + ": "
                    + e.getMessage(), e);
        }
    }

    private static long layerNorms(Model model) {
        return model.graph().nodes().stream().map(Node::opType).filter("LayerNormalization"::equals).count();
    }

    @AfterAll
    void printTable() {
        System.out.println("Zoo opset 17 -> 13 against the original in ORT (1e-5 rel: elements past 1e-5 relative)");
        System.out.printf("%-16s %-9s %4s %9s %10s %10s %9s %s%n", "model", "target", "LN", "elements", "max abs",
                "max rel", ">1e-5 rel", "bound");
        rows.stream().sorted(java.util.Comparator.comparing(Row::model).thenComparing(Row::target)).forEach(r ->
                System.out.printf("%-16s %-9s %4d %9d %10.3g %10.3g %9d %s%n", r.model(), r.target(), r.layerNorms(),
                        r.elements(), r.maxAbs(), r.maxRel(), r.pastRelative(),
                        (r.target() == Target.ORT ? "1e-5 rel" : "1e-5 rel + 1e-6 abs")
                                + (r.passed() ? " PASS" : " FAIL")));
    }
}
