package io.mconv.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.conformance.ConformanceSuite;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ExternalTensorResolver;
import io.mconv.ir.serde.ProtoImporter;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The evaluator against the ONNX backend node tests: every single-node test whose op the kernel table has is either
 * claimed (and then every stored data set must match: rtol 1e-3 and atol 1e-5 for floats, exact for integers and
 * bools, NaN equal to NaN) or refused with the evaluator's own reason, which is listed. A claimed test that fails
 * fails this test.
 */
class EvaluatorConformanceTest {

    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-5;

    @Test
    void claimedNodeTestsMatchTheirStoredOutputs() throws IOException {
        Path nodeDir = ConformanceSuite.root().resolve("node");
        List<Path> cases;
        try (Stream<Path> s = Files.list(nodeDir)) {
            cases = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
        Kernels kernels = Kernels.standard();
        Evaluator evaluator = new Evaluator(kernels);
        Map<String, Integer> runByOp = new TreeMap<>();
        Map<String, String> unclaimed = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int run = 0;
        int passed = 0;
        int dataSets = 0;
        for (Path dir : cases) {
            Model model = ProtoImporter.importModel(
                    Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx"))),
                    ExternalTensorResolver.NONE);
            if (model.graph().nodeCount() != 1) {
                continue;
            }
            Node node = model.graph().firstNode();
            if (!node.isDefaultDomain() || kernels.kernel(node.opType()).isEmpty()) {
                continue;
            }
            String label = dir.getFileName().toString();
            Optional<String> refusal = kernels.refusal(node, Kernels.inputTypes(node));
            if (refusal.isPresent()) {
                unclaimed.put(label, node.opType() + "-" + node.opsetVersion() + ": " + refusal.get());
                continue;
            }
            run++;
            runByOp.merge(node.opType(), 1, Integer::sum);
            String failure = null;
            List<Path> sets;
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            }
            for (Path set : sets) {
                dataSets++;
                Map<String, Tensor> feeds = new LinkedHashMap<>();
                List<Value> inputs = model.graph().inputs().stream().filter(v -> !v.isInitializer()).toList();
                for (int i = 0; i < inputs.size(); i++) {
                    Path f = set.resolve("input_" + i + ".pb");
                    if (Files.isRegularFile(f)) {
                        feeds.put(inputs.get(i).name(), TensorProtos.fromProto(
                                Onnx.TensorProto.parseFrom(Files.readAllBytes(f))));
                    }
                }
                try {
                    Map<String, Tensor> got = evaluator.run(model, feeds);
                    List<Value> outs = model.graph().outputs();
                    for (int i = 0; i < outs.size() && failure == null; i++) {
                        Tensor expected = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                                Files.readAllBytes(set.resolve("output_" + i + ".pb"))));
                        failure = compare(expected, got.get(outs.get(i).name()));
                        if (failure != null) {
                            failure = set.getFileName() + " output " + i + ": " + failure;
                        }
                    }
                } catch (RuntimeException e) {
                    failure = set.getFileName() + ": " + e;
                }
                if (failure != null) {
                    break;
                }
            }
            if (failure == null) {
                passed++;
            } else {
                failures.add(label + " (" + node.opType() + "-" + node.opsetVersion() + "): " + failure);
            }
        }
        System.out.println("Evaluator: " + kernels.ops().size() + " ops claimed (opsets up to "
                + kernels.maxOpset() + "): " + kernels.ops());
        System.out.println("Node tests run: " + run + " (" + dataSets + " data sets), passed: " + passed
                + ", per op: " + runByOp);
        System.out.println("Unclaimed node tests of ops with a kernel (" + unclaimed.size() + "):");
        unclaimed.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        failures.forEach(f -> System.out.println("FAILED " + f));
        Map<String, Integer> untested = new TreeMap<>();
        for (String op : kernels.ops()) {
            if (!runByOp.containsKey(op)) {
                untested.put(op, 0);
            }
        }
        System.out.println("Claimed ops with no single-node test run: " + new TreeSet<>(untested.keySet()));
        assertTrue(failures.isEmpty(), failures.size() + " claimed node tests failed: " + failures);
        assertEquals(run, passed);
        assertTrue(run > 300, "expected the node tests of the claimed ops, ran " + run);
    }

    /** Null when equal within tolerance, else what differs. */
    static String compare(Tensor expected, Tensor actual) {
        if (actual == null) {
            return "missing";
        }
        if (expected.dataType() != actual.dataType()) {
            return "type " + actual.dataType() + ", expected " + expected.dataType();
        }
        if (!Arrays.equals(expected.dims(), actual.dims())) {
            return "shape " + Arrays.toString(actual.dims()) + ", expected " + Arrays.toString(expected.dims());
        }
        if (expected.dataType().isFloatingPoint()) {
            double[] e = expected.toDoubleArray();
            double[] a = actual.toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                if (Double.isNaN(e[i]) && Double.isNaN(a[i])) {
                    continue;
                }
                if (e[i] == a[i]) {
                    continue;
                }
                if (!(Math.abs(e[i] - a[i]) <= ATOL + RTOL * Math.abs(e[i]))) {
                    return "element " + i + ": " + a[i] + ", expected " + e[i];
                }
            }
            return null;
        }
        if (expected.dataType() == DataType.STRING) {
            return expected.contentEquals(actual) ? null : "strings differ";
        }
        long[] e = expected.toLongArray();
        long[] a = actual.toLongArray();
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                return "element " + i + ": " + a[i] + ", expected " + e[i];
            }
        }
        return null;
    }
}
