package io.mconv.shape;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.ir.Dim;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ExternalTensorResolver;
import io.mconv.ir.serde.ProtoImporter;
import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Whole-model check against the ONNX conformance suite's pytorch-converted and pytorch-operator models: every
 * node output's declared type is erased, inference runs, and each graph output's inferred shape is compared with
 * the stored reference output. An unknown dimension is allowed (and counted); a wrong one fails.
 */
class ShapeInferenceConformanceTest {

    private static final Path ROOT = Path.of(System.getProperty("onnx.testdata.dir",
            "/usr/share/libonnx-testdata/data"));

    @Test
    void pytorchModelsMatchReferenceOutputs() throws IOException {
        int[] counts = check(List.of("pytorch-converted", "pytorch-operator"));
        assertTrue(counts[0] > 100, "expected the pytorch sections of the suite, found " + counts[0]);
        assertTrue(counts[2] >= counts[1] * 9 / 10, "only " + counts[2] + " of " + counts[1] + " outputs inferred");
    }

    /** The node section exercises single operators at many opsets: nothing may be wrong, unknown is allowed. */
    @Test
    void nodeModelsHaveNoWrongShapes() throws IOException {
        check(List.of("node"));
    }

    /** Returns {models, outputs, matched}; fails on any wrong shape. */
    private static int[] check(List<String> sections) throws IOException {
        List<Path> cases = new ArrayList<>();
        for (String section : sections) {
            Path dir = ROOT.resolve(section);
            if (!Files.isDirectory(dir)) {
                fail("The ONNX conformance suite is not installed at " + ROOT
                        + ". Install it with: sudo apt-get install libonnx-testdata");
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().forEach(cases::add);
            }
        }
        int outputs = 0;
        int fullyInferred = 0;
        int matched = 0;
        int partial = 0;
        List<String> mismatches = new ArrayList<>();
        List<String> notInferred = new ArrayList<>();
        Map<String, Integer> uninferredOps = new TreeMap<>();
        for (Path dir : cases) {
            String label = dir.getParent().getFileName() + "/" + dir.getFileName();
            Model model = ProtoImporter.importModel(
                    Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx"))),
                    ExternalTensorResolver.NONE);
            for (Node n : model.graph()) {
                for (Value v : n.outputs()) {
                    if (v != null) {
                        v.setType(null);
                    }
                }
            }
            ShapeInferenceResult result = ShapeInference.infer(model, Map.of());
            result.uninferredByOp().forEach((op, c) -> uninferredOps.merge(op, c, Integer::sum));
            List<Value> graphOutputs = model.graph().outputs();
            for (int i = 0; i < graphOutputs.size(); i++) {
                Path ref = dir.resolve("test_data_set_0").resolve("output_" + i + ".pb");
                if (!Files.isRegularFile(ref)) {
                    continue;
                }
                outputs++;
                long[] expected = Onnx.TensorProto.parseFrom(Files.readAllBytes(ref)).getDimsList().stream()
                        .mapToLong(Long::longValue).toArray();
                Shape inferred = graphOutputs.get(i).shape();
                String what = label + " output " + i + ": inferred " + inferred + ", reference "
                        + Arrays.toString(expected);
                if (inferred == null) {
                    notInferred.add(what);
                    continue;
                }
                if (inferred.rank() != expected.length) {
                    mismatches.add(what);
                    continue;
                }
                boolean wrong = false;
                boolean complete = true;
                for (int d = 0; d < expected.length; d++) {
                    Dim dim = inferred.dim(d);
                    if (dim.isKnown()) {
                        wrong |= dim.value() != expected[d];
                    } else {
                        complete = false;
                    }
                }
                if (wrong) {
                    mismatches.add(what);
                } else if (complete) {
                    fullyInferred++;
                    matched++;
                } else {
                    partial++;
                    notInferred.add(what + " (partial)");
                }
            }
        }
        System.out.printf("shape inference conformance " + sections + ": %d models, %d outputs, %d fully inferred, %d matched, "
                + "%d partially known, %d mismatched%n", cases.size(), outputs, fullyInferred, matched, partial,
                mismatches.size());
        System.out.println("nodes left uninferred by op: " + uninferredOps);
        notInferred.forEach(s -> System.out.println("  not inferred: " + s));
        mismatches.forEach(s -> System.out.println("  MISMATCH: " + s));
        assertTrue(mismatches.isEmpty(), "wrong inferred shapes:\n" + String.join("\n", mismatches));
        return new int[] {cases.size(), outputs, matched};
    }
}
