package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Recurrent layers (nn.LSTM, nn.GRU, nn.RNN) and their cells, one ONNX node per layer.
 *
 * <p>Before: {@code _2, _3, _4 = torch.lstm(x, [h0, c0], [w_ih_l0, w_hh_l0, b_ih_l0, b_hh_l0, ...], True, 2, 0.,
 * False, False, True)}. After: {@code Transpose(x) perm=[1,0,2]} (batch_first), then per layer
 * {@code Y, Y_h, Y_c = LSTM(x, W, R, B, "", Slice(h0), Slice(c0)) hidden_size=5} with W, R, B new initializers
 * holding torch's weights with their gates in ONNX's order, {@code Squeeze(Y, [1])} (or, bidirectional,
 * {@code Reshape(Transpose(Y) perm=[0,2,1,3], [0,0,-1])}); the last layer's output transposed back; h_n and c_n
 * the Concat of the layers' Y_h and Y_c. GRU gets {@code linear_before_reset=1}, rnn_relu
 * {@code activations=["Relu"]}.
 *
 * <p>Before: {@code _9, _10 = torch.lstm_cell(x, [h, c], w_ih, w_hh, b_ih, b_hh)}. After: an LSTM over a
 * one-step sequence, {@code LSTM(Unsqueeze(x, [0]), W, R, B, "", Unsqueeze(h, [0]), Unsqueeze(c, [0]))}, and
 * {@code Squeeze(Y_h, [0])}, {@code Squeeze(Y_c, [0])}.
 */
final class RecurrentSymbolics {

    private static final String SEQUENCE_SIGNATURE =
            "input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first";
    private static final String CELL_SIGNATURE = "input, hx, w_ih, w_hh, b_ih=None, b_hh=None";
    /** The element types ONNX's LSTM, GRU and RNN accept (bfloat16 only from opset 22). */
    private static final Set<DataType> RECURRENT_TYPES = Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16);

    private RecurrentSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::lstm", 1, SEQUENCE_SIGNATURE, (ctx, a) -> sequence(ctx, a, RecurrentKind.LSTM));
        r.register("aten::gru", 1, SEQUENCE_SIGNATURE, (ctx, a) -> sequence(ctx, a, RecurrentKind.GRU));
        r.register("aten::rnn_tanh", 1, SEQUENCE_SIGNATURE, (ctx, a) -> sequence(ctx, a, RecurrentKind.RNN_TANH));
        r.register("aten::rnn_relu", 1, SEQUENCE_SIGNATURE, (ctx, a) -> sequence(ctx, a, RecurrentKind.RNN_RELU));
        r.register("aten::lstm_cell", 1, CELL_SIGNATURE, (ctx, a) -> cell(ctx, a, RecurrentKind.LSTM));
        r.register("aten::gru_cell", 1, CELL_SIGNATURE, (ctx, a) -> cell(ctx, a, RecurrentKind.GRU));
        r.register("aten::rnn_tanh_cell", 1, CELL_SIGNATURE, (ctx, a) -> cell(ctx, a, RecurrentKind.RNN_TANH));
        r.register("aten::rnn_relu_cell", 1, CELL_SIGNATURE, (ctx, a) -> cell(ctx, a, RecurrentKind.RNN_RELU));
    }

    // ---- whole layers ------------------------------------------------------------------------------------------

    private static SValue sequence(SymbolicContext ctx, BoundArgs a, RecurrentKind kind) {
        if (a.get("has_biases") instanceof SValue.ListV || a.get("has_biases") instanceof SValue.TupleV) {
            // The .data overload (data, batch_sizes, hx, params, ...) binds its params list one place later.
            throw new SymbolicException(a.opName() + " on a PackedSequence (nn.utils.rnn.pack_padded_sequence) is "
                    + "not supported: ONNX needs padded tensors; call the module on the padded batch instead");
        }
        Value input = a.tensor("input");
        checkType(ctx, a, input);
        if (ctx.rank(input) != 3) {
            throw new SymbolicException(a.opName() + " needs a 3-D input (seq, batch, features) but '" + input.name()
                    + "' has rank " + ctx.rank(input));
        }
        boolean biases = a.bool("has_biases");
        long layers = a.longValue("num_layers");
        int directions = a.bool("bidirectional") ? 2 : 1;
        boolean batchFirst = a.bool("batch_first");
        double dropout = a.doubleValue("dropout");
        if (a.bool("train") && dropout > 0 && layers > 1) {
            throw new SymbolicException(a.opName() + " with dropout=" + dropout + " in training mode drops random "
                    + "activations between layers, which an inference graph cannot reproduce; export the model in "
                    + "eval mode (model.eval() before tracing or scripting)");
        }
        List<Value> params = a.tensors("params");
        int perDirection = biases ? 4 : 2;
        if (params.size() != layers * directions * perDirection) {
            if (kind == RecurrentKind.LSTM && params.size() == layers * directions * (perDirection + 1)) {
                throw projectionRefusal(a);
            }
            throw new SymbolicException(a.opName() + " with " + layers + " layer(s), " + directions + " direction(s) "
                    + (biases ? "and" : "without") + " biases takes " + layers * directions * perDirection
                    + " weights but got " + params.size());
        }
        long hidden = hiddenSize(ctx, a, kind, params.get(1));
        List<Value> state = initialState(a, kind);

        Value x = batchFirst ? transpose(ctx, input, 1, 0, 2) : input;
        List<Value> finalH = new ArrayList<>();
        List<Value> finalC = new ArrayList<>();
        GateWeights weights = new GateWeights(ctx, kind, hidden, ctx.dtype(input));
        for (int layer = 0; layer < layers; layer++) {
            List<Value> wIh = new ArrayList<>();
            List<Value> wHh = new ArrayList<>();
            List<Value> bIh = new ArrayList<>();
            List<Value> bHh = new ArrayList<>();
            for (int d = 0; d < directions; d++) {
                int at = (layer * directions + d) * perDirection;
                wIh.add(params.get(at));
                wHh.add(params.get(at + 1));
                bIh.add(biases ? params.get(at + 2) : null);
                bHh.add(biases ? params.get(at + 3) : null);
            }
            String name = params.get(layer * directions * perDirection).name();
            List<Value> out = RecurrentNode.emit(ctx, kind, x, weights.matrices(wIh, name + ".W"),
                    weights.matrices(wHh, name + ".R"), weights.biases(bIh, bHh, name + ".B"),
                    layerState(ctx, state.get(0), layer, layers, directions),
                    kind == RecurrentKind.LSTM ? layerState(ctx, state.get(1), layer, layers, directions) : null,
                    hidden, directions);
            x = joinDirections(ctx, out.get(0), directions, batchFirst && layer == layers - 1);
            finalH.add(out.get(1));
            if (kind == RecurrentKind.LSTM) {
                finalC.add(out.get(2));
            }
        }
        List<SValue> results = new ArrayList<>(List.of(new SValue.TensorV(x),
                new SValue.TensorV(concat(ctx, finalH))));
        if (kind == RecurrentKind.LSTM) {
            results.add(new SValue.TensorV(concat(ctx, finalC)));
        }
        return new SValue.TupleV(results);
    }

    /** hx as given: LSTM's {@code [h0, c0]} list, the other kinds' single tensor. */
    private static List<Value> initialState(BoundArgs a, RecurrentKind kind) {
        if (kind != RecurrentKind.LSTM) {
            return List.of(a.tensor("hx"));
        }
        List<Value> hx = a.tensors("hx");
        if (hx.size() != 2) {
            throw new SymbolicException(a.opName() + ": hx must be the list [h0, c0] but has " + hx.size()
                    + " tensors");
        }
        return hx;
    }

    /** The hidden size from the first recurrent weight, {@code [gates*hidden, hidden]}; refuses projections. */
    private static long hiddenSize(SymbolicContext ctx, BoundArgs a, RecurrentKind kind, Value recurrentWeight) {
        Shape s = ctx.shapeOrNull(recurrentWeight);
        if (s == null || s.rank() != 2 || !s.dim(0).isKnown() || !s.dim(1).isKnown()) {
            throw new SymbolicException(a.opName() + ": the shape of the recurrent weight '" + recurrentWeight.name()
                    + "' must be known to size the " + kind.onnxOp() + " node");
        }
        long rows = s.dim(0).value();
        if (rows % kind.gates() != 0) {
            throw new SymbolicException(a.opName() + ": recurrent weight '" + recurrentWeight.name() + "' has " + rows
                    + " rows, not a multiple of " + kind.gates() + " gates");
        }
        long hidden = rows / kind.gates();
        if (s.dim(1).value() != hidden) {
            if (kind == RecurrentKind.LSTM) {
                throw projectionRefusal(a);
            }
            throw new SymbolicException(a.opName() + ": recurrent weight '" + recurrentWeight.name() + "' is " + s
                    + " but a hidden size of " + hidden + " needs [" + rows + ", " + hidden + "]");
        }
        return hidden;
    }

    private static SymbolicException projectionRefusal(BoundArgs a) {
        return new SymbolicException(a.opName() + " with proj_size > 0 (a projected LSTM) is not supported: ONNX's "
                + "LSTM has no projection of the hidden state");
    }

    /** Layer {@code layer}'s directions of a {@code [layers*dirs, batch, hidden]} state; zeros stay recognisable. */
    private static Value layerState(SymbolicContext ctx, Value state, int layer, long layers, int directions) {
        if (layers == 1 || RecurrentNode.isZeros(state)) {
            return state;
        }
        return ctx.op("Slice", List.of(state, ctx.longs((long) layer * directions),
                ctx.longs((long) (layer + 1) * directions), ctx.longs(0)));
    }

    /**
     * ONNX's Y {@code [seq, dirs, batch, hidden]} as torch's output {@code [seq, batch, dirs*hidden]}, or
     * {@code [batch, seq, dirs*hidden]} when {@code batchFirst}.
     */
    private static Value joinDirections(SymbolicContext ctx, Value y, int directions, boolean batchFirst) {
        if (directions == 1) {
            Value squeezed = ctx.op("Squeeze", List.of(y, ctx.longs(1)));
            return batchFirst ? transpose(ctx, squeezed, 1, 0, 2) : squeezed;
        }
        Value moved = batchFirst ? transpose(ctx, y, 2, 0, 1, 3) : transpose(ctx, y, 0, 2, 1, 3);
        return ctx.op("Reshape", List.of(moved, ctx.longs(0, 0, -1)));
    }

    // ---- single steps ------------------------------------------------------------------------------------------

    private static SValue cell(SymbolicContext ctx, BoundArgs a, RecurrentKind kind) {
        Value input = a.tensor("input");
        checkType(ctx, a, input);
        if (ctx.rank(input) != 2) {
            throw new SymbolicException(a.opName() + " needs a 2-D input (batch, features) but '" + input.name()
                    + "' has rank " + ctx.rank(input));
        }
        Value wHh = a.tensor("w_hh");
        long hidden = hiddenSize(ctx, a, kind, wHh);
        List<Value> state = initialState(a, kind);
        GateWeights weights = new GateWeights(ctx, kind, hidden, ctx.dtype(input));
        Value wIh = a.tensor("w_ih");
        List<Value> out = RecurrentNode.emit(ctx, kind, unsqueeze(ctx, input),
                weights.matrices(List.of(wIh), wIh.name() + ".W"), weights.matrices(List.of(wHh), wHh.name() + ".R"),
                weights.biases(Arrays.asList(a.optTensor("b_ih").orElse(null)),
                        Arrays.asList(a.optTensor("b_hh").orElse(null)), wIh.name() + ".B"),
                stepState(ctx, state.get(0)), kind == RecurrentKind.LSTM ? stepState(ctx, state.get(1)) : null,
                hidden, 1);
        Value h = ctx.op("Squeeze", List.of(out.get(1), ctx.longs(0)));
        if (kind != RecurrentKind.LSTM) {
            return new SValue.TensorV(h);
        }
        Value c = ctx.op("Squeeze", List.of(out.get(2), ctx.longs(0)));
        return new SValue.TupleV(List.of(new SValue.TensorV(h), new SValue.TensorV(c)));
    }

    /** A cell's {@code [batch, hidden]} state as a one-direction {@code [1, batch, hidden]} one. */
    private static Value stepState(SymbolicContext ctx, Value state) {
        return RecurrentNode.isZeros(state) ? state : unsqueeze(ctx, state);
    }

    // ---- small helpers -----------------------------------------------------------------------------------------

    private static void checkType(SymbolicContext ctx, BoundArgs a, Value input) {
        DataType type = ctx.dtype(input);
        if (!RECURRENT_TYPES.contains(type)) {
            throw new SymbolicException(a.opName() + " on " + type + " tensors is not supported: ONNX's "
                    + "recurrent operators take float, double or float16");
        }
    }

    private static Value transpose(SymbolicContext ctx, Value x, long... perm) {
        return ctx.op("Transpose", List.of(x), Attribute.ofInts("perm", perm));
    }

    private static Value unsqueeze(SymbolicContext ctx, Value x) {
        return ctx.op("Unsqueeze", List.of(x, ctx.longs(0)));
    }

    private static Value concat(SymbolicContext ctx, List<Value> parts) {
        return parts.size() == 1 ? parts.get(0) : ctx.op("Concat", parts, Attribute.ofInt("axis", 0));
    }
}
