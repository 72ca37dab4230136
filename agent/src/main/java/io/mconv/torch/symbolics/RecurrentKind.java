package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The recurrent cells torch and ONNX share, with what differs between them: the order of the gates stacked in the
 * weight matrices, and the attributes that make ONNX compute what torch computes.
 */
enum RecurrentKind {

    /** torch stacks the gates (i, f, g, o); ONNX wants (i, o, f, c): take torch's blocks 0, 3, 1, 2. */
    LSTM("LSTM", new int[] {0, 3, 1, 2}, null),
    /** torch stacks (r, z, n); ONNX wants (z, r, h). */
    GRU("GRU", new int[] {1, 0, 2}, null),
    RNN_TANH("RNN", new int[] {0}, null),
    RNN_RELU("RNN", new int[] {0}, "Relu");

    private final String onnxOp;
    private final int[] torchGateOfOnnxGate;
    private final String activation;

    RecurrentKind(String onnxOp, int[] torchGateOfOnnxGate, String activation) {
        this.onnxOp = onnxOp;
        this.torchGateOfOnnxGate = torchGateOfOnnxGate;
        this.activation = activation;
    }

    String onnxOp() {
        return onnxOp;
    }

    int gates() {
        return torchGateOfOnnxGate.length;
    }

    /** For ONNX gate block {@code onnxGate}, the index of torch's block holding the same gate. */
    int torchGate(int onnxGate) {
        return torchGateOfOnnxGate[onnxGate];
    }

    boolean reordersGates() {
        for (int i = 0; i < torchGateOfOnnxGate.length; i++) {
            if (torchGateOfOnnxGate[i] != i) {
                return true;
            }
        }
        return false;
    }

    /** LSTM also returns the final cell state. */
    int onnxOutputs() {
        return this == LSTM ? 3 : 2;
    }

    /** The node's attributes for {@code hidden} units in {@code directions} directions. */
    Attribute[] attributes(long hidden, int directions) {
        List<Attribute> out = new ArrayList<>();
        out.add(Attribute.ofInt("hidden_size", hidden));
        if (directions == 2) {
            out.add(Attribute.ofString("direction", "bidirectional"));
        }
        if (this == GRU) {
            // torch applies the reset gate after the recurrent matmul (r * (W_hn h + b_hn)); ONNX's default applies
            // it before, which gives other numbers.
            out.add(Attribute.ofInt("linear_before_reset", 1));
        }
        if (activation != null) {
            // ONNX wants one activation per direction once any is given.
            out.add(Attribute.ofStrings("activations", Collections.nCopies(directions, activation)));
        }
        return out.toArray(new Attribute[0]);
    }
}
