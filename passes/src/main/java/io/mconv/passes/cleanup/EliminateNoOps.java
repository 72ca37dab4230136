package io.mconv.passes.cleanup;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.shape.ShapeInference;

/**
 * Removes nodes that return their input unchanged: Identity, a Cast to the type its input already has, and Dropout
 * at inference (no {@code training_mode} input, or a constant false one, and its mask unused). Readers of the
 * output read the input instead.
 *
 * <pre>
 * Before:  x ─► Cast(to=int64) ─► y ─► Range      (x already int64)
 * After:   x ─► Range
 * </pre>
 *
 * When the output is a graph output, the input takes over its name, which is only possible when the input is
 * produced by a node (a graph input, an initializer or another graph output must keep its own name), so such a
 * node stays otherwise. Types come from shape inference. Subgraphs are visited like the main graph.
 */
public final class EliminateNoOps implements Pass {

    private static final AttrKey<Long> TO = AttrKey.ofInt("to");

    @Override
    public String name() {
        return "eliminate-noop";
    }

    @Override
    public String description() {
        return "remove Identity, Cast to the same type and inference-mode Dropout";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        ShapeInference.infer(model, context.inputShapes());
        int removed = 0;
        for (Graph g : Graphs.all(model)) {
            for (Node n : g.nodes()) {
                if (n.isDefaultDomain() && isNoOp(n) && bypass(n, g)) {
                    removed++;
                }
            }
        }
        return PassResult.of(removed);
    }

    private static boolean isNoOp(Node n) {
        Value in = n.input(0);
        if (in == null) {
            return false;
        }
        return switch (n.opType()) {
            case "Identity" -> in.type() == null || in.type() instanceof io.mconv.ir.ValueType.TensorType;
            case "Cast" -> in.elemType() != null && n.attribute("to").isPresent()
                    && DataType.fromCode((int) (long) n.attr(TO)).orElse(null) == in.elemType();
            case "Dropout" -> inferenceDropout(n);
            default -> false;
        };
    }

    /** No training_mode, or a constant false one, and the mask output absent or unused. */
    private static boolean inferenceDropout(Node n) {
        Value training = n.input(2);
        if (training != null) {
            Tensor t = training.constValue();
            if (t == null || t.elementCount() != 1 || t.toLongArray()[0] != 0) {
                return false;
            }
        }
        Value mask = n.output(1);
        return mask == null || (!mask.hasUses() && !mask.isGraphOutput());
    }

    private static boolean bypass(Node n, Graph g) {
        Value in = n.input(0);
        Value out = n.output(0);
        if (out.isGraphOutput()) {
            if (in.producer() == null || in.isGraphOutput() || in.graph() != g) {
                return false;
            }
            out.replaceAllUsesWith(in, true);
        } else {
            out.replaceAllUsesWith(in);
        }
        g.remove(n);
        return true;
    }
}
