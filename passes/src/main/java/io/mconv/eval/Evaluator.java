package io.mconv.eval;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference evaluator: computes one node, or a whole model, on IR tensors with the {@link Kernels} table. It
 * is deterministic and slow (double/long arithmetic, no vectorization); it is meant for constant folding and as a
 * test backend for small graphs, not for inference. Each node's output is rounded to its element type, so a chain
 * computes what an ONNX runtime computes, up to the last-bit differences of double rounding and summation order.
 */
public final class Evaluator {

    private final Kernels kernels;

    public Evaluator() {
        this(Kernels.standard());
    }

    public Evaluator(Kernels kernels) {
        this.kernels = kernels;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** Why {@code node} cannot be evaluated on inputs of its declared types, or empty when it can. */
    public Optional<String> refusal(Node node) {
        return kernels.refusal(node, Kernels.inputTypes(node));
    }

    /**
     * Computes {@code node} on {@code inputs} (one per input slot, null for an omitted input).
     *
     * @throws UnsupportedEvaluationException when the node is not claimed (op, opset, attribute or element type)
     * @throws EvaluationException            when the inputs are invalid for the op (shapes, indices, x / 0)
     */
    public List<Tensor> evaluate(Node node, List<Tensor> inputs) {
        if (inputs.size() != node.inputCount()) {
            throw new IllegalArgumentException(node + " has " + node.inputCount() + " input slots, got "
                    + inputs.size() + " tensors");
        }
        Optional<String> refusal = kernels.refusal(node, Kernels.typesOf(inputs));
        if (refusal.isPresent()) {
            throw new UnsupportedEvaluationException(node.opType() + ": " + refusal.get());
        }
        OpKernel k = kernels.kernel(node.opType()).orElseThrow();
        try {
            return k.compute(node, inputs);
        } catch (EvaluationException | UnsupportedEvaluationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EvaluationException(node + ": " + e.getMessage());
        }
    }

    /**
     * Runs the main graph on {@code feeds} (by graph input name; initializers supply the rest) and returns the
     * graph outputs by name. Nodes run in the graph's order, which the IR keeps topological.
     *
     * @throws IllegalArgumentException when a graph input without an initializer has no feed
     */
    public Map<String, Tensor> run(Model model, Map<String, Tensor> feeds) {
        Graph g = model.graph();
        Map<Value, Tensor> env = new HashMap<>();
        for (Value init : g.initializers().values()) {
            env.put(init, init.constValue());
        }
        for (Value in : g.inputs()) {
            Tensor t = feeds.get(in.name());
            if (t != null) {
                env.put(in, t);
            } else if (!env.containsKey(in)) {
                throw new IllegalArgumentException("no feed for graph input '" + in.name() + "'");
            }
        }
        for (Node n : g) {
            List<Tensor> args = new ArrayList<>(n.inputCount());
            for (Value v : n.inputs()) {
                if (v == null) {
                    args.add(null);
                } else {
                    Tensor t = env.get(v);
                    if (t == null) {
                        throw new IllegalStateException(n + " reads '" + v.name() + "', which has no value");
                    }
                    args.add(t);
                }
            }
            List<Tensor> outs = evaluate(n, args);
            for (int i = 0; i < n.outputCount() && i < outs.size(); i++) {
                if (n.output(i) != null) {
                    env.put(n.output(i), outs.get(i));
                }
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Value v : g.outputs()) {
            Tensor t = env.get(v);
            if (t == null) {
                throw new IllegalStateException("graph output '" + v.name() + "' was not computed");
            }
            out.put(v.name(), t.withName(v.name()));
        }
        return out;
    }
}
