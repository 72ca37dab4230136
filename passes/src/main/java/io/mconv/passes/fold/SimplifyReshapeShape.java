package io.mconv.passes.fold;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.shape.ShapeInference;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Reshape target assembled at run time from {@code Shape} pieces into a constant, using Reshape's rule that
 * a 0 copies the input's dimension at the same position and a single -1 is inferred. Exporters write
 * {@code x.view(x.size(0), x.size(1), heads, head_dim)} this way; with a symbolic batch and sequence the pieces
 * cannot be folded to numbers, but they do not need to be.
 *
 * <pre>
 * Before:  s = Shape(x)  b = Unsqueeze(Gather(s, 0))  n = Unsqueeze(Gather(s, 1))  t = Concat(b, n, [4], [32])
 *          y = Reshape(x, t)
 * After:   y = Reshape(x, [0, 0, 4, 32])          (the Shape/Gather/Unsqueeze/Concat chain is left to dead-code)
 * </pre>
 *
 * Each entry of the Concat is a constant (an initializer or a Constant node's tensor) or {@code Unsqueeze(Gather(Shape(v), i))} (or a one-element Gather). An
 * entry reading dimension i of v becomes: that number when shape inference knows it; 0 when it is provably the
 * Reshape input's own dimension at the entry's position (the same symbolic name, as shape inference carries it);
 * otherwise unknown. With no unknown entry left, or exactly one and no -1 among the constants, the target becomes
 * a constant (the one unknown as -1). Not applied when {@code allowzero=1} (0 then means a zero dimension) or
 * before opset 5 (the target was an attribute). Subgraphs are visited like the main graph.
 */
public final class SimplifyReshapeShape implements Pass {

    private static final AttrKey<Long> ALLOW_ZERO = AttrKey.ofInt("allowzero");
    private static final AttrKey<Long> AXIS = AttrKey.ofInt("axis");
    private static final AttrKey<long[]> AXES = AttrKey.ofInts("axes");

    /** A Concat entry: a known value, a copy of the input's dimension (0), or unknown. */
    private sealed interface Entry permits Known, Copy, Unknown {
    }

    private record Known(long value) implements Entry {
    }

    private record Copy() implements Entry {
    }

    private record Unknown() implements Entry {
    }

    @Override
    public String name() {
        return "simplify-reshape-shape";
    }

    @Override
    public String description() {
        return "make Reshape targets built from Shape pieces constant (0 copies a dimension, -1 infers one)";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        ShapeInference.infer(model, context.inputShapes());
        int rewrites = 0;
        List<String> diagnostics = new ArrayList<>();
        for (Graph g : Graphs.all(model)) {
            for (Node n : g.nodes()) {
                if (!n.isDefaultDomain() || !n.opType().equals("Reshape") || n.inputCount() < 2
                        || n.input(1) == null || n.input(1).constValue() != null || n.opsetVersion() < 5) {
                    continue;
                }
                if (n.attrIfPresent(ALLOW_ZERO).orElse(0L) != 0) {
                    diagnostics.add(name() + " skipped " + n + ": allowzero=1");
                    continue;
                }
                long[] target = target(n);
                if (target == null) {
                    continue;
                }
                Tensor t = Tensor.ofLongs(g.uniqueName(n.name().isEmpty() ? "reshape_shape" : n.name() + "_shape"),
                        new long[] {target.length}, target);
                n.setInput(1, g.addInitializer(t));
                rewrites++;
            }
        }
        return new PassResult(rewrites, diagnostics);
    }

    /** The constant target, or null when the Concat's entries cannot all be resolved. */
    private static long[] target(Node reshape) {
        Node concat = producer(reshape.input(1), "Concat");
        if (concat == null || concat.attr(AXIS) != 0) {
            return null;
        }
        Shape dataShape = reshape.input(0).shape();
        List<Entry> entries = new ArrayList<>();
        for (Value part : concat.inputs()) {
            if (part == null) {
                return null;
            }
            Tensor c = constantOf(part);
            if (c != null) {
                if (c.rank() != 1) {
                    return null;
                }
                for (long v : c.toLongArray()) {
                    entries.add(new Known(v));
                }
            } else {
                Entry e = dimensionEntry(part, entries.size(), dataShape);
                if (e == null) {
                    return null;
                }
                entries.add(e);
            }
        }
        long unknown = entries.stream().filter(e -> e instanceof Unknown).count();
        boolean hasInfer = entries.stream().anyMatch(e -> e instanceof Known k && k.value() == -1);
        if (unknown > 1 || (unknown == 1 && hasInfer)) {
            return null;
        }
        long[] out = new long[entries.size()];
        for (int i = 0; i < out.length; i++) {
            Entry e = entries.get(i);
            out[i] = e instanceof Known k ? k.value() : e instanceof Copy ? 0 : -1;
        }
        return out;
    }

    /** {@code Unsqueeze(Gather(Shape(v), i), [0])} or a one-element {@code Gather(Shape(v), [i])}, resolved. */
    private static Entry dimensionEntry(Value part, int position, Shape dataShape) {
        Node gather = producer(part, "Gather");
        Node unsqueeze = producer(part, "Unsqueeze");
        boolean scalarIndex;
        if (unsqueeze != null) {
            if (!unsqueezesAxisZero(unsqueeze)) {
                return null;
            }
            gather = producer(unsqueeze.input(0), "Gather");
            scalarIndex = true;
        } else {
            scalarIndex = false;
        }
        Tensor index = gather == null ? null : constantOf(gather.input(1));
        if (index == null || gather.attrIfPresent(AXIS).orElse(0L) != 0) {
            return null;
        }
        if (index.elementCount() != 1 || (scalarIndex ? index.rank() != 0 : index.rank() != 1)) {
            return null;
        }
        Node shapeNode = producer(gather.input(0), "Shape");
        if (shapeNode == null || shapeNode.attribute("start").isPresent() || shapeNode.attribute("end").isPresent()) {
            return null;
        }
        Shape source = shapeNode.input(0).shape();
        if (source == null) {
            return new Unknown();
        }
        long i = index.toLongArray()[0];
        if (i < 0) {
            i += source.rank();
        }
        if (i < 0 || i >= source.rank()) {
            return null;
        }
        Dim d = source.dim((int) i);
        if (d.isKnown()) {
            return new Known(d.value());
        }
        if (d.isSymbolic() && dataShape != null && position < dataShape.rank()
                && d.param().equals(dataShape.dim(position).param())) {
            return new Copy();
        }
        return new Unknown();
    }

    private static boolean unsqueezesAxisZero(Node unsqueeze) {
        long[] axes;
        if (unsqueeze.inputCount() > 1 && unsqueeze.input(1) != null) {
            Tensor t = constantOf(unsqueeze.input(1));
            if (t == null) {
                return false;
            }
            axes = t.toLongArray();
        } else {
            axes = unsqueeze.attrIfPresent(AXES).orElse(null);
        }
        return axes != null && axes.length == 1 && axes[0] == 0;
    }

    private static Tensor constantOf(Value v) {
        return io.mconv.passes.rewrite.RuleContext.constantOf(v);
    }

    private static Node producer(Value v, String opType) {
        if (v == null || v.producer() == null) {
            return null;
        }
        Node p = v.producer();
        return p.isDefaultDomain() && p.opType().equals(opType) ? p : null;
    }
}
