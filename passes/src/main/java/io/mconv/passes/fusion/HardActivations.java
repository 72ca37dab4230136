package io.mconv.passes.fusion;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.List;

/** The matching shared by fuse-hard-sigmoid and fuse-hard-swish: {@code Clip(x + 3, 0, 6)} and the division by 6. */
final class HardActivations {

    static final double REL = 1e-6;

    private HardActivations() {
    }

    /** A matched relu6(x + 3): the Clip, the Add, x, and the constants read. */
    record Relu6(Node clip, Node add, Value x, List<Value> constants) {
    }

    /** {@code Clip(Add(x, 3), 0, 6)} with the Add private to the Clip, bounds from inputs (opset 11+) or attributes. */
    static Check<Relu6> relu6PlusThree(RuleContext ctx, Node clip) {
        List<Value> constants = new ArrayList<>();
        double lo;
        double hi;
        if (clip.inputCount() > 1) {
            Double min = clip.input(1) == null ? null : FusionSupport.scalar(clip.input(1));
            Double max = clip.inputCount() > 2 && clip.input(2) != null ? FusionSupport.scalar(clip.input(2)) : null;
            if (min == null || max == null) {
                return Check.fail("Clip bounds are not both constant scalars");
            }
            lo = min;
            hi = max;
            constants.add(clip.input(1));
            constants.add(clip.input(2));
        } else {
            Float min = clip.attrIfPresent(AttrKey.ofFloat("min")).orElse(null);
            Float max = clip.attrIfPresent(AttrKey.ofFloat("max")).orElse(null);
            if (min == null || max == null) {
                return Check.fail("Clip has no min/max");
            }
            lo = min;
            hi = max;
        }
        if (lo != 0 || Math.abs(hi - 6) > 6 * REL) {
            return Check.fail("Clip bounds are [" + lo + ", " + hi + "], not [0, 6]");
        }
        Value in = clip.input(0);
        Node add = FusionSupport.producer(ctx, in, "Add");
        if (add == null) {
            return Check.noMatch("the Clip input is not produced by an Add of this graph");
        }
        Value x = null;
        for (int s = 0; s < 2 && x == null; s++) {
            if (FusionSupport.scalarIs(add.input(s), 3, REL)) {
                x = add.input(1 - s);
                constants.add(add.input(s));
            }
        }
        if (x == null) {
            return Check.fail("the Clip input is not x + 3");
        }
        String np = FusionSupport.notPrivate(ctx, in, clip);
        if (np != null) {
            return Check.fail("x + 3 " + np);
        }
        return Check.ok(new Relu6(clip, add, x, constants));
    }

    /** For {@code Div(v, 6)} or {@code Mul(v, 1/6)} reading {@code v}: the constant read, else null. */
    static Value divBySix(Node n, Value v) {
        if (n == null || n.inputCount() != 2) {
            return null;
        }
        if (n.opType().equals("Div") && n.input(0) == v && FusionSupport.scalarIs(n.input(1), 6, REL)) {
            return n.input(1);
        }
        if (n.opType().equals("Mul")) {
            Value k = FusionSupport.other(n, v);
            return FusionSupport.scalarIs(k, 1.0 / 6, REL) ? k : null;
        }
        return null;
    }

    /** The dtype check: the op exists at the opset and accepts the dtype of constant {@code k}. */
    static String opMissing(RuleContext ctx, String op, Value k) {
        if (!ctx.opsetHas("", op)) {
            return op + " does not exist at opset " + ctx.defaultOpset();
        }
        Tensor t = FusionSupport.constant(k);
        if (t == null || !FusionSupport.acceptsType(ctx, op, "T", t.dataType())) {
            return op + " does not accept " + (t == null ? "an unknown dtype" : t.dataType());
        }
        return null;
    }

    /** Replaces {@code out} by {@code op(x)} and removes the matched nodes (consumers first) and dead constants. */
    static void replace(Rewriter rw, String op, List<io.mconv.ir.Attribute> attrs, Value x, Value out,
                        List<Node> nodes, List<Value> constants) {
        Value y = rw.addNode("", op, List.of(x), attrs, out.name() + "_" + op.toLowerCase());
        rw.replace(out, y);
        rw.removeIfUnused(nodes.toArray(new Node[0]));
        ConvFolding.dropIfDead(rw, constants);
    }
}
