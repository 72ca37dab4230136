package io.mconv.torch.symbolics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.ir.testing.Fixtures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One family's torch-computed cases from {@code testdata/torch/symbolics/<family>.json} (written by
 * {@code make_<family>.py}): each case's named input tensors and torch's outputs, and the comparison of ORT's
 * outputs with them (fp32 within 1e-5, integers and bools exactly).
 */
final class TorchFixture {

    /** The tolerance the symbolic tests hold fp32 results to. */
    static final Tolerance FP32 = Tolerance.of(1e-5, 1e-5);

    private final JsonNode cases;
    private final String family;

    private TorchFixture(String family, JsonNode cases) {
        this.family = family;
        this.cases = cases;
    }

    static TorchFixture load(String family) {
        Path file = Fixtures.testdata().resolve("torch/symbolics/" + family + ".json");
        if (!Files.isRegularFile(file)) {
            fail("Fixture " + file + " is missing. Regenerate it with: /usr/bin/python3 testdata/torch/symbolics/make_"
                    + family + ".py (needs: sudo apt-get install -y python3-torch)");
        }
        try {
            return new TorchFixture(family, new ObjectMapper().readTree(file.toFile()).get("cases"));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    Case get(String name) {
        JsonNode c = cases.get(name);
        if (c == null) {
            fail(family + ".json has no case '" + name + "'; rerun make_" + family + ".py");
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        c.get("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), tensor(e.getKey(), e.getValue())));
        List<Tensor> outputs = new ArrayList<>();
        int i = 0;
        for (JsonNode o : c.get("outputs")) {
            outputs.add(tensor(name + "#" + i++, o));
        }
        return new Case(name, inputs, outputs);
    }

    /** A case: the feeds and torch's outputs, in the order the script listed them. */
    record Case(String name, Map<String, Tensor> inputs, List<Tensor> outputs) {

        Tensor input(String inputName) {
            return inputs.get(inputName);
        }

        long[] dims(String inputName) {
            return inputs.get(inputName).dims();
        }

        DataType type(String inputName) {
            return inputs.get(inputName).dataType();
        }

        /** Declares the case's input {@code inputName} as a graph input of the harness, with its type and shape. */
        io.mconv.torch.export.SValue.TensorV in(SymbolicHarness h, String inputName) {
            return h.input(inputName, type(inputName), dims(inputName));
        }

        /** Runs the harness on the inputs it declared and compares with torch's outputs. */
        void runAndCompare(SymbolicHarness h) {
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            h.model().graph().inputs().forEach(v -> feeds.put(v.name(), inputs.get(v.name())));
            assertMatches(h.run(feeds));
        }

        /** Compares every output of ORT with torch's; the counts must agree too. */
        void assertMatches(List<Tensor> actual) {
            assertEquals(outputs.size(), actual.size(), name + ": output count");
            for (int i = 0; i < outputs.size(); i++) {
                assertClose(outputs.get(i), actual.get(i));
            }
        }
    }

    static void assertClose(Tensor expected, Tensor actual) {
        Tolerance tol = expected.dataType() == DataType.FLOAT || expected.dataType() == DataType.DOUBLE ? FP32
                : Tolerance.EXACT;
        ComparisonResult r = TensorComparison.compare(expected.name(), expected, actual, tol);
        assertTrue(r.passed(), r.toString() + " " + r.reason());
    }

    private static Tensor tensor(String name, JsonNode node) {
        String dtype = node.get("dtype").asText();
        long[] dims = new long[node.get("shape").size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = node.get("shape").get(i).asLong();
        }
        JsonNode data = node.get("data");
        int n = data.size();
        return switch (dtype) {
            case "float32" -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) number(data.get(i));
                }
                yield Tensor.ofFloats(name, dims, v);
            }
            case "float64" -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = number(data.get(i));
                }
                yield Tensor.ofDoubles(name, dims, v);
            }
            case "int64" -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i).asLong();
                }
                yield Tensor.ofLongs(name, dims, v);
            }
            case "int32" -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i).asInt();
                }
                yield Tensor.ofInts(name, dims, v);
            }
            case "bool", "uint8" -> {
                ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    b.put((byte) data.get(i).asInt());
                }
                b.flip();
                yield Tensor.ofRaw(name, dtype.equals("bool") ? DataType.BOOL : DataType.UINT8, dims, b);
            }
            default -> throw new AssertionError("fixture dtype " + dtype + " is not handled");
        };
    }

    /** Numbers, and the strings the script writes for values JSON has no literal for. */
    private static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> throw new AssertionError("not a number: " + v);
            };
        }
        return v.asDouble();
    }
}
