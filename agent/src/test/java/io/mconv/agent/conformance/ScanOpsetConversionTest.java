package io.mconv.agent.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.conformance.ConformanceSuite;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.onnx.proto.Onnx;
import io.mconv.passes.opset.OpsetConversionException;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scan-8 (with a batch axis) raised to Scan-9's form (a Loop over the batch running a Scan per element) and
 * lowered back, run in ORT: the outputs must be the original's bit for bit, since the body's arithmetic is the same
 * and only the slicing around it changed.
 */
class ScanOpsetConversionTest {

    private final OpsetConverter converter = new OpsetConverter(OpSchemaRegistry.standard());

    @Test
    void theConformanceScan8ModelRaisedTo17AndBackGivesTheSameOutputs() throws Exception {
        Path dir = ConformanceSuite.root().resolve("node/test_scan_sum");
        assertTrue(Files.isDirectory(dir), dir + " is missing: install Debian's libonnx-testdata "
                + "(sudo apt-get install -y libonnx-testdata)");
        Map<String, Tensor> feeds = Map.of(
                "initial", stored(dir.resolve("test_data_set_0/input_0.pb")),
                "x", stored(dir.resolve("test_data_set_0/input_1.pb")));
        try (IrModelFile file = new ModelLoader().load(dir.resolve("model.onnx"))) {
            Model model = file.model();
            assertEquals(8, model.opsetVersion(""));
            Map<String, Tensor> original = run(model, feeds);
            assertArrayEquals(stored(dir.resolve("test_data_set_0/output_1.pb")).toFloatArray(),
                    original.get("z").toFloatArray());

            OpsetConverter.Result result = converter.convert(model, 17);
            GraphVerifier.verify(model);
            assertEquals(Map.of("Scan", 1), result.adaptedByOp());
            Node loop = only(model.graph(), "Loop");
            Node scan = only(loop.subgraphs().get(0), "Scan");
            assertEquals(1, scan.attribute("num_scan_inputs").orElseThrow().asInt());
            assertEquals(2, scan.inputCount(), "no sequence_lens slot at Scan-9");
            assertSame(original, run(model, feeds));

            converter.convert(model, 8);
            GraphVerifier.verify(model);
            Node loopAt8 = only(model.graph(), "Loop");
            assertEquals(3, loopAt8.inputCount(), "Loop-1 needs a loop-carried variable: a placeholder");
            Node back = only(loopAt8.subgraphs().get(0), "Scan");
            assertEquals(3, back.inputCount(), "Scan-8 takes sequence_lens first");
            assertSame(original, run(model, feeds));
        }
    }

    @Test
    void aBatchOfThreeWithTwoStatesAndAReversedInputMatchesBothWays() throws Exception {
        Model model = batchedScan8(false).model();
        Random random = new Random(7);
        Map<String, Tensor> feeds = Map.of(
                "sum0", randomFloats(random, 3, 2),
                "prod0", randomFloats(random, 3, 2),
                "a", randomFloats(random, 3, 4, 2),
                "b", randomFloats(random, 3, 4, 2));
        Map<String, Tensor> original = run(model, feeds);
        assertArrayEquals(new long[] {3, 4, 2}, original.get("steps").dims());

        converter.convert(model, 17);
        GraphVerifier.verify(model);
        Node scan = only(only(model.graph(), "Loop").subgraphs().get(0), "Scan");
        assertArrayEquals(new long[] {0, 1}, scan.attribute("scan_input_directions").orElseThrow().asInts());
        assertSame(original, run(model, feeds));

        converter.convert(model, 8);
        GraphVerifier.verify(model);
        assertSame(original, run(model, feeds));
    }

    @Test
    void raisedOnlyTo10TheBatchLoopCarriesAPlaceholderAndStillMatches() throws Exception {
        Model model = batchedScan8(false).model();
        Random random = new Random(11);
        Map<String, Tensor> feeds = Map.of(
                "sum0", randomFloats(random, 3, 2),
                "prod0", randomFloats(random, 3, 2),
                "a", randomFloats(random, 3, 4, 2),
                "b", randomFloats(random, 3, 4, 2));
        Map<String, Tensor> original = run(model, feeds);

        converter.convert(model, 10);
        GraphVerifier.verify(model);
        Node loop = only(model.graph(), "Loop");
        assertEquals(3, loop.inputCount(), "Loop-1 needs a loop-carried variable");
        assertEquals(4, loop.outputCount(), "the placeholder's final value, then the Scan's three outputs");
        assertSame(original, run(model, feeds));
    }

    @Test
    void givenSequenceLengthsAreRefusedWithTheReason() {
        Model model = batchedScan8(true).model();
        OpsetConversionException e = assertThrows(OpsetConversionException.class, () -> converter.convert(model, 9));
        assertEquals(1, e.refusals().size());
        assertTrue(e.refusals().get(0).contains("sequence_lens"), e.refusals().toString());
        assertEquals(8, model.opsetVersion(""), "nothing converted");
    }

    @Test
    void aScan9OnAnotherAxisIsRefusedWhenLoweredTo8() {
        ModelBuilder b = new ModelBuilder(11);
        Value x = b.input("x", DataType.FLOAT, 2, 5);
        Graph body = new Graph("body");
        Value in = new Value("col", new ValueType.TensorType(DataType.FLOAT, Shape.of(2)));
        body.addInput(in);
        Node neg = new Node("", "Neg", "neg");
        neg.addInput(in);
        neg.addOutput(new Value("neg_col", new ValueType.TensorType(DataType.FLOAT, Shape.of(2))));
        body.append(neg);
        body.addOutput(neg.output(0));
        b.output(b.nodeWith("Scan", new Attribute[] {Attribute.ofGraph("body", body),
                Attribute.ofInt("num_scan_inputs", 1), Attribute.ofInts("scan_input_axes", 1)}, x));
        OpsetConversionException e = assertThrows(OpsetConversionException.class,
                () -> converter.convert(b.model(), 8));
        assertTrue(e.refusals().get(0).contains("scan_input_axes [1]"), e.refusals().toString());
    }

    /**
     * Scan-8 over a batch of 3: states sum and prod {@code [3, 2]}, scan inputs a (forward) and b (reversed)
     * {@code [3, 4, 2]}; the body adds a*b to sum, multiplies prod by (a - b), and emits sum at every step.
     */
    private static ModelBuilder batchedScan8(boolean withSequenceLengths) {
        ModelBuilder b = new ModelBuilder(8);
        Value lens = withSequenceLengths ? b.input("lens", DataType.INT64, 3) : null;
        Value sum0 = b.input("sum0", DataType.FLOAT, 3, 2);
        Value prod0 = b.input("prod0", DataType.FLOAT, 3, 2);
        Value a = b.input("a", DataType.FLOAT, 3, 4, 2);
        Value bIn = b.input("b", DataType.FLOAT, 3, 4, 2);
        Graph body = new Graph("scan_body");
        Value sumIn = bodyInput(body, "sum_in");
        Value prodIn = bodyInput(body, "prod_in");
        Value aIn = bodyInput(body, "a_in");
        Value bElem = bodyInput(body, "b_in");
        Value sumOut = bodyNode(body, "Add", "sum_out", sumIn, bodyNode(body, "Mul", "ab", aIn, bElem));
        Value prodOut = bodyNode(body, "Mul", "prod_out", prodIn, bodyNode(body, "Sub", "a_minus_b", aIn, bElem));
        Value step = bodyNode(body, "Identity", "step", sumOut);
        for (Value out : List.of(sumOut, prodOut, step)) {
            out.setType(new ValueType.TensorType(DataType.FLOAT, Shape.of(2)));
            body.addOutput(out);
        }
        Node scan = new Node("", "Scan", "batched_scan");
        for (Value v : new Value[] {lens, sum0, prod0, a, bIn}) {
            scan.addInput(v);
        }
        scan.setAttribute(Attribute.ofGraph("body", body));
        scan.setAttribute(Attribute.ofInt("num_scan_inputs", 2));
        scan.setAttribute(Attribute.ofInts("directions", 0, 1));
        for (String name : new String[] {"sum", "prod", "steps"}) {
            scan.addOutput(new Value(name, null));
        }
        b.graph().append(scan);
        b.output(scan.output(0), DataType.FLOAT, 3, 2);
        b.output(scan.output(1), DataType.FLOAT, 3, 2);
        b.output(scan.output(2), DataType.FLOAT, 3, 4, 2);
        return b;
    }

    private static Value bodyInput(Graph body, String name) {
        Value v = new Value(name, new ValueType.TensorType(DataType.FLOAT, Shape.of(2)));
        body.addInput(v);
        return v;
    }

    private static Value bodyNode(Graph body, String op, String output, Value... inputs) {
        Node n = new Node("", op, output + "_node");
        for (Value v : inputs) {
            n.addInput(v);
        }
        n.addOutput(new Value(output, null));
        body.append(n);
        return n.output(0);
    }

    private static Node only(Graph g, String op) {
        List<Node> found = g.nodes().stream().filter(n -> n.opType().equals(op)).toList();
        assertEquals(1, found.size(), op + " in " + g.nodes());
        return found.get(0);
    }

    private static Map<String, Tensor> run(Model model, Map<String, Tensor> feeds) {
        try (ModelRunner ort = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            return ort.run(feeds);
        } catch (Exception e) {
            throw new AssertionError("ORT failed: " + e.getMessage(), e);
        }
    }

    /** Bit-identical floats, output by output. */
    private static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> {
            assertArrayEquals(t.dims(), actual.get(name).dims(), name);
            assertArrayEquals(t.toFloatArray(), actual.get(name).toFloatArray(), 0f, name);
        });
    }

    private static Tensor randomFloats(Random random, long... dims) {
        float[] data = new float[(int) Tensor.elementCount(dims)];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() * 2 - 1;
        }
        return Tensor.ofFloats("", dims, data);
    }

    private static Tensor stored(Path pb) throws Exception {
        return TensorProtos.fromProto(Onnx.TensorProto.parseFrom(Files.readAllBytes(pb)));
    }
}
