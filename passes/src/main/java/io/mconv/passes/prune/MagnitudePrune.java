package io.mconv.passes.prune;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * prune-magnitude: unstructured magnitude pruning. In each Conv, Gemm and MatMul with a constant float32 weight, the
 * {@code floor(sparsity · n)} weights of smallest |w| become 0; shapes and the graph stay as they are.
 *
 * <pre>
 * Before:  x ─► Conv(W, b) ─► y          W = [[0.9, -0.1], [0.05, -0.7]]
 * After:   x ─► Conv(W', b) ─► y         W' = [[0.9, 0], [0, -0.7]]      (sparsity 0.5)
 * </pre>
 *
 * Per layer, not global: one global threshold takes most of its zeros from the layers whose weights are small,
 * which are the wide layers (initialisation scales weights by 1/√fan-in), and can empty a narrow-magnitude layer
 * entirely and cut the network; per layer every layer keeps {@code 1 − sparsity} of its weights, so the result is
 * predictable and the sparsity reached is the one asked. Ties at the threshold are broken by position, so the count
 * is exact. Idempotent: a layer that already has at least that many zeros is left alone. Refuses (listed):
 * non-constant, non-float32 and shared weights. Subgraphs are pruned like the main graph. The file does not get
 * smaller (the weights stay dense); the zeros compress well and sparse kernels can use them.
 */
public final class MagnitudePrune implements Pass {

    private final Sparsity sparsity;

    public MagnitudePrune(Sparsity sparsity) {
        this.sparsity = sparsity;
    }

    @Override
    public String name() {
        return "prune-magnitude";
    }

    @Override
    public String description() {
        return "zero the " + sparsity.value() + " share of smallest |w| in each Conv/Gemm/MatMul weight";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.AGGRESSIVE;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int rewrites = 0;
        List<String> notes = new ArrayList<>();
        for (Graph g : Graphs.all(model)) {
            for (Node n : g.nodes()) {
                if (!LinearLayer.isLinearOp(n)) {
                    continue;
                }
                LinearLayer.Inspection ins = LinearLayer.inspect(n);
                if (ins.layer() == null) {
                    notes.add(n.name() + " (" + n.opType() + "): " + ins.refusal());
                } else if (prune(ins.layer())) {
                    rewrites++;
                }
            }
        }
        return new PassResult(rewrites, notes);
    }

    /** Zeroes the layer's smallest weights; false when it already has enough zeros. */
    private boolean prune(LinearLayer layer) {
        Tensor t = layer.weights();
        float[] w = t.toFloatArray();
        long target = sparsity.removedOf(w.length);
        long zeros = 0;
        for (float v : w) {
            if (v == 0) {
                zeros++;
            }
        }
        if (target == 0 || zeros >= target) {
            return false;
        }
        float[] magnitudes = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            magnitudes[i] = Math.abs(w[i]);
        }
        Arrays.sort(magnitudes);
        float threshold = magnitudes[(int) target - 1];
        long below = 0;
        for (float v : w) {
            if (Math.abs(v) < threshold) {
                below++;
            }
        }
        long tiesToZero = target - below;
        for (int i = 0; i < w.length; i++) {
            float m = Math.abs(w[i]);
            if (m < threshold) {
                w[i] = 0;
            } else if (m == threshold && tiesToZero > 0) {
                w[i] = 0;
                tiesToZero--;
            }
        }
        layer.weight().setConstValue(Tensor.ofFloats(t.name(), t.dims(), w));
        return true;
    }
}
