package io.mconv.passes.prune;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;

/**
 * A Conv, Gemm or MatMul whose weight (input 1) is a float32 initializer that only this node reads: the layers the
 * pruning passes change. Knows on which axis of the weight the output channels lie and on which the input channels.
 *
 * @param outAxis axis of the weight indexed by output channel: Conv 0 ([O, I, k...]), MatMul 1 ([K, N]), Gemm 1, or
 *                0 with transB = 1 ([N, K])
 * @param inAxis  axis indexed by input channel (the other one)
 */
record LinearLayer(Node node, Value weight, int outAxis, int inAxis) {

    /** A layer, or why the node is not one. */
    record Inspection(LinearLayer layer, String refusal) {
    }

    static boolean isLinearOp(Node n) {
        return n.isDefaultDomain()
                && (n.opType().equals("Conv") || n.opType().equals("Gemm") || n.opType().equals("MatMul"));
    }

    static Inspection inspect(Node n) {
        if (n.inputCount() < 2 || n.input(1) == null) {
            return refuse("has no weight input");
        }
        Value w = n.input(1);
        Tensor t = w.constValue();
        if (t == null || !w.isInitializer() || w.isGraphInput()) {
            return refuse("weight '" + w.name() + "' is not a constant initializer");
        }
        if (t.dataType() != DataType.FLOAT) {
            return refuse("weight '" + w.name() + "' is " + t.dataType() + "; pruning handles float32 weights");
        }
        // a tied weight (read by another node too) would change that node as well, or have to be duplicated
        if (w.uses().size() != 1) {
            return refuse("weight '" + w.name() + "' is shared with " + (w.uses().size() - 1) + " other node(s)");
        }
        return switch (n.opType()) {
            case "Conv" -> t.rank() >= 3 ? new Inspection(new LinearLayer(n, w, 0, 1), null)
                    : refuse("Conv weight has rank " + t.rank());
            case "Gemm" -> {
                if (t.rank() != 2) {
                    yield refuse("Gemm weight has rank " + t.rank());
                }
                boolean transB = n.attrIfPresent(AttrKey.ofInt("transB")).orElse(0L) != 0;
                yield new Inspection(transB ? new LinearLayer(n, w, 0, 1) : new LinearLayer(n, w, 1, 0), null);
            }
            default -> t.rank() == 2 ? new Inspection(new LinearLayer(n, w, 1, 0), null)
                    : refuse("MatMul weight has rank " + t.rank() + " (batched weights are not pruned)");
        };
    }

    private static Inspection refuse(String reason) {
        return new Inspection(null, reason);
    }

    String opType() {
        return node.opType();
    }

    Tensor weights() {
        return weight.constValue();
    }

    long outChannels() {
        return weights().dims()[outAxis];
    }

    /** Conv's {@code group}; 1 for Gemm and MatMul. */
    long group() {
        return opType().equals("Conv") ? node.attrIfPresent(AttrKey.ofInt("group")).orElse(1L) : 1;
    }

    /** Gemm's {@code transA}: a transposed activation has its channels on axis 0, not the last one. */
    boolean transposesActivation() {
        return opType().equals("Gemm") && node.attrIfPresent(AttrKey.ofInt("transA")).orElse(0L) != 0;
    }

    String describe() {
        return node.name() + " (" + opType() + ")";
    }
}
