package io.mconv.torch.symbolics;

import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.torch.export.SymbolicContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One ONNX LSTM, GRU or RNN node over a sequence-first input {@code [seq, batch, features]} (ONNX Runtime's CPU
 * kernels refuse {@code layout=1}, so batch-first inputs are transposed by the caller). An initial state known to
 * be zeros (torch.zeros in the traced code, or a zero constant) is left out: zeros are ONNX's default, and the node
 * then does not depend on the batch size through a ConstantOfShape.
 */
final class RecurrentNode {

    private RecurrentNode() {
    }

    /** The outputs Y {@code [seq, dirs, batch, hidden]}, Y_h {@code [dirs, batch, hidden]} and for LSTM Y_c. */
    static List<Value> emit(SymbolicContext ctx, RecurrentKind kind, Value x, Value w, Value r, Value b, Value h0,
                            Value c0, long hidden, int directions) {
        List<Value> inputs = new ArrayList<>(Arrays.asList(x, w, r, b, null, nonZero(h0)));
        if (kind == RecurrentKind.LSTM) {
            inputs.add(nonZero(c0));
        }
        while (inputs.get(inputs.size() - 1) == null) {
            inputs.remove(inputs.size() - 1);
        }
        return ctx.ops(kind.onnxOp(), kind.onnxOutputs(), inputs, kind.attributes(hidden, directions));
    }

    private static Value nonZero(Value state) {
        return state == null || isZeros(state) ? null : state;
    }

    /** Whether {@code v} is all zeros whatever the inputs: a zero constant, ConstantOfShape of zero, or a cast
     *  or expansion of one. */
    static boolean isZeros(Value v) {
        if (v.constValue() != null) {
            return allZeroBytes(v.constValue());
        }
        Node p = v.producer();
        if (p == null || !p.isDefaultDomain()) {
            return false;
        }
        return switch (p.opType()) {
            case "ConstantOfShape" -> p.attribute("value").map(a -> allZeroBytes(a.asTensor())).orElse(true);
            case "Cast", "Identity", "Expand" -> isZeros(p.input(0));
            default -> false;
        };
    }

    /** Zero bytes are the value zero in every numeric ONNX type (a negative zero is not all-zero, and is kept). */
    private static boolean allZeroBytes(Tensor t) {
        if (t.dataType() == DataType.STRING) {
            return false;
        }
        ByteBuffer b = t.rawBytes();
        while (b.hasRemaining()) {
            if (b.get() != 0) {
                return false;
            }
        }
        return true;
    }
}
