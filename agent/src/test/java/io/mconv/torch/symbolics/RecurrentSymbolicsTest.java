package io.mconv.torch.symbolics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.testing.Fixtures;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * aten::lstm/gru/rnn_tanh/rnn_relu and their cells run in ONNX Runtime against torch's numbers
 * ({@code testdata/torch/symbolics/make_recurrent.py} wrote them to recurrent.json): every case with its weights as
 * initializers (folded into new W/R/B constants) at the lowest, default and highest opset, and with its weights as
 * graph inputs (Split/Concat/Unsqueeze nodes); then the node structure and the refusals.
 */
class RecurrentSymbolicsTest {

    private static final double TOLERANCE = 1e-5;

    // ---- numbers -------------------------------------------------------------------------------------------------

    static Stream<Arguments> foldedCases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : cases()) {
            for (int opset : new int[] {13, 17, 21}) {
                out.add(Arguments.of(c.get("name").asText(), opset));
            }
        }
        return out.stream();
    }

    static Stream<String> caseNames() {
        List<String> out = new ArrayList<>();
        cases().forEach(c -> out.add(c.get("name").asText()));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} at opset {1}")
    @MethodSource("foldedCases")
    void constantWeightsMatchTorch(String name, int opset) {
        CaseRun run = new CaseRun(byName(name), opset, false);
        run.assertMatchesTorch();
        assertTrue(run.h.opTypes().stream().noneMatch(op -> op.equals("Split")),
                "constant weights are reordered at export time: " + run.h.opTypes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void weightsComputedAtRunTimeMatchTorch(String name) {
        CaseRun run = new CaseRun(byName(name), 17, true);
        run.assertMatchesTorch();
    }

    // ---- structure -----------------------------------------------------------------------------------------------

    @Test
    void twoLayerBatchFirstLstmIsOneNodePerLayerAndZeroStatesAreLeftOut() {
        CaseRun run = new CaseRun(byName("lstm_2layer_batch_first_zeros"), 17, false);
        // the zero states (static-shape ConstantOfShape) fold at export and are then left out of the LSTMs
        assertEquals(List.of("Transpose", "LSTM", "Squeeze", "LSTM", "Squeeze", "Transpose", "Concat", "Concat"),
                run.h.opTypes());
        for (Node lstm : nodes(run, "LSTM")) {
            assertEquals(4, lstm.inputCount(), "X, W, R, B; zero initial states are ONNX's default");
            assertEquals(5L, lstm.attribute("hidden_size").orElseThrow().asInt());
            assertTrue(lstm.attribute("direction").isEmpty());
        }
    }

    @Test
    void lstmWeightsAreReorderedToOnnxGateOrder() {
        JsonNode c = byName("lstm_1layer");
        CaseRun run = new CaseRun(c, 17, false);
        Node lstm = nodes(run, "LSTM").get(0);
        float[] w = lstm.input(1).constValue().toFloatArray();
        float[] torchW = floats(c.get("weights").get(0));
        int block = 5 * 4;
        int[] torchBlockOfOnnxBlock = {0, 3, 1, 2};
        for (int g = 0; g < 4; g++) {
            for (int i = 0; i < block; i++) {
                assertEquals(torchW[torchBlockOfOnnxBlock[g] * block + i], w[g * block + i], "gate " + g);
            }
        }
        assertArrayEquals(new long[] {1, 20, 4}, lstm.input(1).constValue().dims());
        assertArrayEquals(new long[] {1, 40}, lstm.input(3).constValue().dims());
        assertEquals(7, lstm.inputCount(), "the given h0 and c0 are inputs 5 and 6");
        assertNull(lstm.input(4), "no sequence_lens");
    }

    @Test
    void bidirectionalGruResetsAfterTheMatmulAndJoinsDirectionsAsTorchDoes() {
        CaseRun run = new CaseRun(byName("gru_bidirectional_zeros"), 17, false);
        assertEquals(List.of("GRU", "Transpose", "Reshape"), run.h.opTypes());
        Node gru = nodes(run, "GRU").get(0);
        assertEquals(1L, gru.attribute("linear_before_reset").orElseThrow().asInt());
        assertEquals("bidirectional", gru.attribute("direction").orElseThrow().asString());
        assertArrayEquals(new long[] {2, 9, 4}, gru.input(1).constValue().dims());
        assertArrayEquals(new long[] {0, 2, 1, 3}, nodes(run, "Transpose").get(0).attribute("perm").orElseThrow()
                .asInts());
    }

    @Test
    void reluRnnNamesItsActivationOncePerDirection() {
        CaseRun run = new CaseRun(byName("rnn_relu_bidirectional_batch_first_nobias"), 17, false);
        Node rnn = nodes(run, "RNN").get(0);
        assertEquals(List.of("Relu", "Relu"), rnn.attribute("activations").orElseThrow().asStrings());
        assertEquals(6, rnn.inputCount(), "X, W, R, no B (no biases), no sequence_lens, initial_h");
        assertNull(rnn.input(3));
        assertNull(rnn.input(4));
        assertArrayEquals(new long[] {2, 0, 1, 3}, nodes(run, "Transpose").get(1).attribute("perm").orElseThrow()
                .asInts(), "the last layer's Y goes straight to batch-first");
    }

    @Test
    void lstmCellIsAOneStepLstm() {
        CaseRun run = new CaseRun(byName("lstm_cell"), 17, false);
        assertEquals(List.of("Unsqueeze", "Unsqueeze", "Unsqueeze", "LSTM", "Squeeze", "Squeeze"), run.h.opTypes());
        CaseRun zeros = new CaseRun(byName("lstm_cell_nobias_zeros"), 17, false);
        assertEquals(List.of("Unsqueeze", "LSTM", "Squeeze", "Squeeze"), zeros.h.opTypes());
    }

    /**
     * The folding moves bytes, not floats, so double weights reorder as float ones do. (ONNX Runtime's CPU LSTM has
     * no double kernel, so this one is checked on the folded tensors, not run.)
     */
    @Test
    void doubleWeightsAreReorderedLikeFloatOnes() {
        JsonNode c = byName("lstm_2layer_bidirectional_nobias");
        CaseRun run = new CaseRun(c, 17, false, DataType.DOUBLE);
        Node second = nodes(run, "LSTM").get(1);
        Tensor r = second.input(2).constValue();
        assertEquals(DataType.DOUBLE, r.dataType());
        assertArrayEquals(new long[] {2, 12, 3}, r.dims());
        double[] got = r.toDoubleArray();
        int block = 3 * 3;
        int[] torchBlockOfOnnxBlock = {0, 3, 1, 2};
        for (int d = 0; d < 2; d++) {
            float[] torchR = floats(c.get("weights").get((2 + d) * 2 + 1));
            for (int g = 0; g < 4; g++) {
                for (int i = 0; i < block; i++) {
                    assertEquals(torchR[torchBlockOfOnnxBlock[g] * block + i], got[d * 4 * block + g * block + i],
                            "direction " + d + " gate " + g);
                }
            }
        }
        assertEquals(7, second.inputCount());
        assertNull(second.input(3), "no biases, no B");
        assertEquals("Slice", second.input(5).producer().opType(), "the layer's rows of the given h0");
        assertEquals("Slice", second.input(6).producer().opType(), "the layer's rows of the given c0");
    }

    @Test
    void runTimeWeightsAreReorderedWithSplitAndConcat() {
        CaseRun run = new CaseRun(byName("lstm_1layer"), 17, true);
        List<String> ops = run.h.opTypes();
        assertEquals(4, ops.stream().filter("Split"::equals).count(), "w_ih, w_hh, b_ih, b_hh: " + ops);
        assertEquals(5, ops.stream().filter("Concat"::equals).count(), "four reorders and the bias join: " + ops);
        assertEquals(3, ops.stream().filter("Unsqueeze"::equals).count(), "W, R, B get the direction axis: " + ops);
    }

    // ---- refusals ------------------------------------------------------------------------------------------------

    @Test
    void dropoutBetweenLayersInTrainingModeIsRefused() {
        SymbolicException e = assertThrows(SymbolicException.class, () -> callLstm(2, 4, 0.25, true, 5));
        assertEquals("aten::lstm with dropout=0.25 in training mode drops random activations between layers, which "
                + "an inference graph cannot reproduce; export the model in eval mode (model.eval() before tracing "
                + "or scripting)", e.getMessage());
    }

    @Test
    void dropoutInEvalModeOrWithOneLayerIsIgnoredAsTorchDoes() {
        SymbolicHarness eval = new SymbolicHarness(17);
        assertEquals(3, callLstm(eval, 2, 4, 0.25, false, 5).elements().size());
        SymbolicHarness oneLayer = new SymbolicHarness(17);
        assertEquals(3, callLstm(oneLayer, 1, 4, 0.25, true, 5).elements().size());
    }

    @Test
    void projectedLstmIsRefused() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = h.input("x", DataType.FLOAT, 3, 2, 4);
        SValue params = new SValue.ListV(new ArrayList<>(List.of(weight(h, "w_ih", 20, 4), weight(h, "w_hh", 20, 3),
                weight(h, "b_ih", 20), weight(h, "b_hh", 20), weight(h, "w_hr", 3, 5))));
        SValue hx = new SValue.ListV(new ArrayList<>(List.of(h.input("h0", DataType.FLOAT, 1, 2, 3),
                h.input("c0", DataType.FLOAT, 1, 2, 5))));
        SymbolicException e = assertThrows(SymbolicException.class, () -> h.call("aten::lstm", x, hx, params,
                bool(true), new SValue.Const(1L), new SValue.Const(0.0), bool(false), bool(false), bool(false)));
        assertEquals("aten::lstm with proj_size > 0 (a projected LSTM) is not supported: ONNX's LSTM has no "
                + "projection of the hidden state", e.getMessage());
    }

    @Test
    void packedSequencesAreRefused() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue data = h.input("data", DataType.FLOAT, 5, 4);
        SValue batchSizes = h.input("batch_sizes", DataType.INT64, 3);
        SValue hx = h.input("h0", DataType.FLOAT, 1, 2, 3);
        SValue params = new SValue.ListV(new ArrayList<>(List.of(weight(h, "w_ih", 9, 4), weight(h, "w_hh", 9, 3))));
        SymbolicException e = assertThrows(SymbolicException.class, () -> h.call("aten::gru", data, batchSizes, hx,
                params, bool(false), new SValue.Const(1L), new SValue.Const(0.0), bool(false), bool(false)));
        assertTrue(e.getMessage().startsWith("aten::gru on a PackedSequence (nn.utils.rnn.pack_padded_sequence) is "
                + "not supported"), e.getMessage());
    }

    @Test
    void aWeightListThatDoesNotFitTheLayersIsRefused() {
        SymbolicException e = assertThrows(SymbolicException.class, () -> callLstm(2, 3, 0.0, false, 5));
        assertEquals("aten::lstm with 2 layer(s), 1 direction(s) and biases takes 8 weights but got 6",
                e.getMessage());
    }

    @Test
    void integerInputsAreRefused() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = h.input("x", DataType.INT64, 2, 4);
        SymbolicException e = assertThrows(SymbolicException.class, () -> h.call("aten::rnn_tanh_cell", x,
                h.input("h", DataType.INT64, 2, 3), weight(h, "w_ih", 3, 4), weight(h, "w_hh", 3, 3)));
        assertEquals("aten::rnn_tanh_cell on int64 tensors is not supported: ONNX's recurrent operators take float, "
                + "double or float16", e.getMessage());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** One fixture case lowered through the symbolic; {@code weightsAsInputs} makes the weights graph inputs. */
    private static final class CaseRun {
        final JsonNode c;
        final SymbolicHarness h;
        final Map<String, Tensor> feeds = new LinkedHashMap<>();

        final DataType type;

        CaseRun(JsonNode c, int opset, boolean weightsAsInputs) {
            this(c, opset, weightsAsInputs, DataType.FLOAT);
        }

        CaseRun(JsonNode c, int opset, boolean weightsAsInputs, DataType type) {
            this.c = c;
            this.type = type;
            this.h = new SymbolicHarness(opset);
            String op = c.get("op").asText();
            boolean lstm = op.startsWith("lstm");
            boolean cell = op.endsWith("_cell");
            SValue x = feed("x", c.get("x"));
            List<SValue> weights = new ArrayList<>();
            JsonNode ws = c.get("weights");
            for (int i = 0; i < ws.size(); i++) {
                Tensor t = tensor("w" + i, ws.get(i), type);
                weights.add(weightsAsInputs ? feed("w" + i, ws.get(i))
                        : new SValue.TensorV(h.context().constant(t)));
            }
            SValue h0 = state("h0", cell);
            SValue hx = lstm ? new SValue.ListV(new ArrayList<>(List.of(h0, state("c0", cell)))) : h0;
            SValue result;
            if (cell) {
                List<SValue> args = new ArrayList<>(List.of(x, hx));
                args.addAll(weights);
                result = h.call("aten::" + op, args.toArray(new SValue[0]));
            } else {
                result = h.call("aten::" + op, x, hx, new SValue.ListV(weights), bool(c.get("bias").asBoolean()),
                        new SValue.Const(c.get("num_layers").asLong()), new SValue.Const(0.0), bool(false),
                        bool(c.get("bidirectional").asBoolean()), bool(c.get("batch_first").asBoolean()));
            }
            h.output(result);
        }

        private SValue feed(String name, JsonNode t) {
            feeds.put(name, tensor(name, t, type));
            return h.input(name, type, dims(t));
        }

        /**
         * The given initial state, or zeros: for whole layers a ConstantOfShape, as torch.zeros lowers, for cells a
         * zero initializer; the symbolic must recognise both.
         */
        private SValue state(String name, boolean cell) {
            if (c.get("hx").asText().equals("given")) {
                return feed(name, c.get(name));
            }
            long batch = c.get("x").get("shape").get(c.get("batch_first").asBoolean() ? 0 : 1).asLong();
            long hidden = c.get("hidden_size").asLong();
            if (cell) {
                return new SValue.TensorV(h.context().constant(zeros(name, type, batch, hidden)));
            }
            long directions = c.get("bidirectional").asBoolean() ? 2 : 1;
            Value shape = h.context().longs(c.get("num_layers").asLong() * directions, batch, hidden);
            return new SValue.TensorV(h.context().op("ConstantOfShape", List.of(shape),
                    Attribute.ofTensor("value", zeros("zero", type, 1))));
        }

        void assertMatchesTorch() {
            List<Tensor> out = h.run(feeds);
            JsonNode expected = c.get("outputs");
            assertEquals(expected.size(), out.size(), "outputs of " + c.get("name").asText());
            for (int i = 0; i < out.size(); i++) {
                String what = c.get("name").asText() + " output " + i;
                assertArrayEquals(dims(expected.get(i)), out.get(i).dims(), what + " shape");
                float[] want = floats(expected.get(i));
                float[] got = out.get(i).toFloatArray();
                for (int k = 0; k < want.length; k++) {
                    if (Math.abs(want[k] - got[k]) > TOLERANCE) {
                        fail(what + " element " + k + ": torch " + want[k] + ", ORT " + got[k]);
                    }
                }
            }
        }
    }

    private static SValue.TupleV callLstm(int layers, int weightsPerLayer, double dropout, boolean train,
                                          long hidden) {
        return callLstm(new SymbolicHarness(17), layers, weightsPerLayer, dropout, train, hidden);
    }

    /** An aten::lstm call with {@code weightsPerLayer} weights per layer (4: w_ih, w_hh, b_ih, b_hh). */
    private static SValue.TupleV callLstm(SymbolicHarness h, int layers, int weightsPerLayer, double dropout,
                                          boolean train, long hidden) {
        SValue x = h.input("x", DataType.FLOAT, 3, 2, 4);
        List<SValue> params = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? 4 : hidden;
            params.add(weight(h, "w_ih_l" + l, 4 * hidden, in));
            params.add(weight(h, "w_hh_l" + l, 4 * hidden, hidden));
            for (int extra = 2; extra < weightsPerLayer; extra++) {
                params.add(weight(h, "b" + extra + "_l" + l, 4 * hidden));
            }
        }
        SValue hx = new SValue.ListV(new ArrayList<>(List.of(h.input("h0", DataType.FLOAT, layers, 2, hidden),
                h.input("c0", DataType.FLOAT, layers, 2, hidden))));
        SValue out = h.call("aten::lstm", x, hx, new SValue.ListV(params), bool(true),
                new SValue.Const((long) layers), new SValue.Const(dropout), bool(train), bool(false), bool(false));
        assertNotNull(out);
        return (SValue.TupleV) out;
    }

    private static SValue weight(SymbolicHarness h, String name, long... dims) {
        return new SValue.TensorV(h.context().constant(Tensor.ofFloats(name, dims,
                new float[(int) Tensor.elementCount(dims)])));
    }

    private static SValue bool(boolean b) {
        return new SValue.Const(b);
    }

    private static List<Node> nodes(CaseRun run, String opType) {
        List<Node> out = new ArrayList<>();
        run.h.model().graph().forEach(n -> {
            if (n.opType().equals(opType)) {
                out.add(n);
            }
        });
        return out;
    }

    private static Tensor tensor(String name, JsonNode t, DataType type) {
        if (type == DataType.DOUBLE) {
            float[] f = floats(t);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return Tensor.ofDoubles(name, dims(t), d);
        }
        return Tensor.ofFloats(name, dims(t), floats(t));
    }

    private static Tensor zeros(String name, DataType type, long... dims) {
        return Tensor.ofRaw(name, type, dims, java.nio.ByteBuffer.allocate(
                (int) type.byteSize(Tensor.elementCount(dims))));
    }

    private static long[] dims(JsonNode t) {
        JsonNode shape = t.get("shape");
        long[] out = new long[shape.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape.get(i).asLong();
        }
        return out;
    }

    private static float[] floats(JsonNode t) {
        JsonNode data = t.get("data");
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) data.get(i).asDouble();
        }
        return out;
    }

    private static JsonNode byName(String name) {
        for (JsonNode c : cases()) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("recurrent.json has no case '" + name + "'; regenerate it with: /usr/bin/python3 "
                + "testdata/torch/symbolics/make_recurrent.py");
    }

    private static JsonNode cases() {
        Path file = Fixtures.testdata().resolve("torch/symbolics/recurrent.json");
        if (!Files.isRegularFile(file)) {
            fail("Fixture " + file + " is missing. Generate it with: /usr/bin/python3 "
                    + "testdata/torch/symbolics/make_recurrent.py (needs: sudo apt-get install -y python3-torch)");
        }
        try {
            return new ObjectMapper().readTree(file.toFile()).get("cases");
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
