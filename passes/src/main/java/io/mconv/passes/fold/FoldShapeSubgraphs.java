package io.mconv.passes.fold;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.shape.ShapeInference;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces {@code Shape} (and {@code Size}) nodes whose answer shape inference knows by int64 initializers, so the
 * shape arithmetic exporters emit (torch's Flatten/view: Shape→Gather→Unsqueeze→Concat→Reshape) becomes constant and
 * {@code fold-constants} folds the rest on the next round (the PassManager iterates to a fixed point).
 *
 * <pre>
 * Before:  x[1,512,7,7] ─► Shape ─► Gather(0) ─► Unsqueeze ─► Concat(·,[-1]) ─► Reshape(x, ·)
 * After:   x[1,512,7,7] ─► Reshape(x, [1,-1])          (this pass: Shape ─► initializer [1,512,7,7];
 *                                                      fold-constants: the chain)
 * </pre>
 *
 * Correct because a tensor's shape is fixed by the model's declared input shapes (or the user's
 * {@code --input-shape}, from {@link PassContext#inputShapes()}, which inference applies to the inputs) through the
 * shape rules; a Shape node is folded only when every dimension in its {@code start:end} slice is a known number.
 * A symbolic dimension (a batch {@code N}) keeps the node, as it must: the value differs per run. Size needs the
 * whole shape. A node whose output is a graph output stays (the interface keeps its producer).
 * <p>
 * Subgraphs: shape inference types subgraph values too, and Shape nodes in If/Loop/Scan bodies are folded into
 * initializers of their body the same way. Function bodies are left alone (no initializers there, and their
 * shapes depend on each call).
 */
public final class FoldShapeSubgraphs implements Pass {

    @Override
    public String name() {
        return "fold-shape-subgraphs";
    }

    @Override
    public String description() {
        return "replace Shape/Size of tensors with known static shapes by constants";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        if (!hasCandidates(model.graph())) {
            return PassResult.unchanged();
        }
        ShapeInference.infer(model, context.inputShapes());
        int rewrites = 0;
        List<Graph> graphs = new ArrayList<>();
        collect(model.graph(), graphs);
        for (Graph g : graphs) {
            for (Node n : g.nodes()) {
                Tensor folded = fold(n);
                if (folded == null) {
                    continue;
                }
                Value out = n.output(0);
                String name = out.name();
                out.setName(g.uniqueName(name + "_folded"));
                Value init = g.addInitializer(folded.withName(name));
                out.replaceAllUsesWith(init);
                g.remove(n);
                rewrites++;
            }
        }
        return PassResult.of(rewrites);
    }

    /** The constant {@code n} computes, or null when it is not a foldable Shape/Size. */
    private static Tensor fold(Node n) {
        if (!n.isDefaultDomain() || n.outputCount() != 1 || n.output(0) == null || n.output(0).isGraphOutput()
                || n.input(0) == null) {
            return null;
        }
        boolean isShape = n.opType().equals("Shape");
        if (!isShape && !n.opType().equals("Size")) {
            return null;
        }
        Shape shape = n.input(0).constValue() != null ? n.input(0).constValue().shape() : n.input(0).shape();
        if (shape == null) {
            return null;
        }
        int r = shape.rank();
        int start = 0;
        int end = r;
        if (isShape) {
            start = clamp(n.attrIfPresent(AttrKey.ofInt("start")).orElse(0L), r);
            end = clamp(n.attrIfPresent(AttrKey.ofInt("end")).orElse((long) r), r);
        }
        long[] dims = new long[Math.max(end - start, 0)];
        for (int k = start; k < end; k++) {
            if (!shape.dim(k).isKnown()) {
                return null;
            }
            dims[k - start] = shape.dim(k).value();
        }
        if (isShape) {
            return Tensor.ofLongs("shape", new long[]{dims.length}, dims);
        }
        long size = 1;
        for (long d : dims) {
            size = Math.multiplyExact(size, d);
        }
        return Tensor.ofLongs("size", new long[0], size);
    }

    private static int clamp(long v, int r) {
        long x = v < 0 ? v + r : v;
        return (int) Math.max(0, Math.min(r, x));
    }

    private static boolean hasCandidates(Graph g) {
        for (Node n : g) {
            if (n.isDefaultDomain() && (n.opType().equals("Shape") || n.opType().equals("Size"))) {
                return true;
            }
            for (Graph sub : n.subgraphs()) {
                if (hasCandidates(sub)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void collect(Graph g, List<Graph> out) {
        out.add(g);
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
        }
    }

}
