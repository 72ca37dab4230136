package io.mconv.passes.cleanup;

import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RuleContext;

/** Small questions merge-chains and fuse-pad-into-conv share. */
final class ChainSupport {


    private ChainSupport() {
    }

    /** The constant a value holds: {@link RuleContext#constantOf}. */
    static Tensor constantOf(Value v) {
        return RuleContext.constantOf(v);
    }

    /**
     * The producer of {@code root}'s input {@code index} when it has op type {@code opType}, lives in the root's own
     * graph, and its output is read by the root alone and is not a graph output. No such producer is no match;
     * one that is shared or a graph output is a near miss.
     */
    static Check<Node> privateProducer(Node root, int index, String opType, RuleContext ctx) {
        Value v = root.input(index);
        Node p = ctx.producerOf(v, opType);
        if (p == null || p.graph() != root.graph()) {
            return Check.noMatch("input " + index + " is not produced by a " + opType + " in this graph");
        }
        if (v.isGraphOutput()) {
            return Check.fail("the intermediate " + v.name() + " is a graph output");
        }
        if (!ctx.isPrivateTo(v, root)) {
            return Check.fail("the intermediate " + v.name() + " has other readers (fan-out)");
        }
        return Check.ok(p);
    }

    /**
     * Whether the readers of {@code out} can read {@code in} instead with both nodes gone. A graph output must keep
     * its name, which {@code in} can take over only when a node of this graph produces it and it is not itself a
     * graph output (a graph input or initializer keeps its own name).
     */
    static boolean canBypass(Value out, Value in, Node root) {
        return !out.isGraphOutput()
                || (in.producer() != null && in.graph() == root.graph() && !in.isGraphOutput());
    }
}
