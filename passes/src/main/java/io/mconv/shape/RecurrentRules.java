package io.mconv.shape;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import java.util.List;

/**
 * LSTM, GRU and RNN: Y is {@code [seq, directions, batch, hidden]} and the final states Y_h (and LSTM's Y_c)
 * {@code [directions, batch, hidden]}; with {@code layout=1} (opset 14) the batch comes first in X, Y, and the
 * states: {@code [batch, seq, directions, hidden]} and {@code [batch, directions, hidden]}.
 */
final class RecurrentRules {

    static final AttrKey<Long> HIDDEN_SIZE = AttrKey.ofInt("hidden_size");
    static final AttrKey<String> DIRECTION = AttrKey.ofString("direction");
    static final AttrKey<Long> LAYOUT = AttrKey.ofInt("layout");

    private RecurrentRules() {
    }

    static void register(ShapeRules r) {
        r.registerAll(RecurrentRules::recurrent, "LSTM", "GRU", "RNN");
    }

    private static void recurrent(Node n, InferenceContext ctx) {
        DataType type = ctx.inputType(n, 0);
        Shape x = ctx.inputShape(n, 0);
        Dim directions = Dim.of("bidirectional".equals(n.attrIfPresent(DIRECTION).orElse("forward")) ? 2 : 1);
        Dim hidden = hiddenSize(n, ctx);
        if (x == null || x.rank() != 3) {
            for (int i = 0; i < n.outputCount(); i++) {
                ctx.setOutput(n, i, type, null);
            }
            return;
        }
        boolean batchFirst = n.attrIfPresent(LAYOUT).orElse(0L) == 1;
        Dim seq = batchFirst ? x.dim(1) : x.dim(0);
        Dim batch = batchFirst ? x.dim(0) : x.dim(1);
        ctx.setOutput(n, 0, type, new Shape(batchFirst ? List.of(batch, seq, directions, hidden)
                : List.of(seq, directions, batch, hidden)));
        Shape state = new Shape(batchFirst ? List.of(batch, directions, hidden) : List.of(directions, batch, hidden));
        for (int i = 1; i < n.outputCount(); i++) {
            ctx.setOutput(n, i, type, state);
        }
    }

    /** The hidden_size attribute, or the last dimension of the recurrence weight R {@code [dirs, G*hidden, hidden]}. */
    private static Dim hiddenSize(Node n, InferenceContext ctx) {
        if (n.attrIfPresent(HIDDEN_SIZE).isPresent()) {
            return Dim.of(n.attr(HIDDEN_SIZE));
        }
        Shape r = ctx.inputShape(n, 2);
        return r != null && r.rank() == 3 ? r.dim(2) : Dim.unknown();
    }
}
