package io.mconv.passes.cleanup;

import static io.mconv.passes.cleanup.CleanupSupport.constInts;
import static io.mconv.passes.cleanup.CleanupSupport.constant;
import static io.mconv.passes.cleanup.CleanupSupport.ints;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code eliminate-noop}: removes nodes whose output equals their input, and makes the output's readers read the
 * input.
 *
 * <pre>
 * Before:  x ─► Identity ─► Cast(to=float, x float) ─► Transpose(perm=[0,1,2]) ─► Add(·, zeros[1]) ─► Relu ─► y
 * After:   x ─► Relu ─► y
 * </pre>
 *
 * What counts as a no-op, and why it is one:
 * <ul>
 *   <li>{@code Identity}.</li>
 *   <li>{@code Dropout} at inference: the spec makes it a copy when not training. Training is on when
 *       {@code training_mode} (opset 12+) is a constant true or not a constant (refused), or, before opset 7, when
 *       {@code is_test} is 0 (the default there; refused). The {@code mask} output must be unused, or it is
 *       replaced by a constant all-true bool tensor when its shape is fully known (else refused).</li>
 *   <li>{@code Cast} to the element type its input already has; {@code CastLike} with both inputs of one type.</li>
 *   <li>{@code Reshape} and {@code Expand} whose input and output shapes are fully known and equal (shape
 *       inference runs first, with the user's {@code --input-shape}s). Symbolic dimensions are refused: a
 *       {@code batch} input could still be reshaped to something else at run time.</li>
 *   <li>{@code Transpose} with the identity permutation (or no perm on a rank 0 or 1 input).</li>
 *   <li>{@code Pad} whose constant pads are all zero, in any mode (the attribute form before opset 11, the input
 *       form after; {@code axes} does not matter when nothing is padded).</li>
 *   <li>{@code Concat} of one input and {@code Split} with one output. ({@code SplitToSequence} yields a sequence,
 *       never the tensor itself, so it is not a no-op.)</li>
 *   <li>{@code x*1}, {@code 1*x}, {@code x+0}, {@code 0+x}, {@code x-0}, {@code x/1} where the constant is all ones /
 *       zeros, has x's element type, and broadcasting it does not change x's shape (each of its dimensions is 1 or
 *       equals x's; its rank is at most x's). These are exact in IEEE arithmetic except that {@code -0.0 + 0}
 *       gives {@code +0.0}, which compares equal; NaN stays NaN.</li>
 * </ul>
 * A no-op whose output is a graph output is removed only when its input can take over the output's name: a node
 * output of the same graph that is not itself a graph output. An identity graph (graph input straight to graph
 * output) keeps its Identity: runtimes do not reliably support a value that is both an input and an output.
 * Likewise an initializer or an outer-scope value is not made a graph output (an If branch returning an outer
 * value through Identity keeps it). Runs in subgraphs and function bodies like every rule pass.
 */
public final class EliminateNoOp extends LocalRulePass {

    public EliminateNoOp() {
        super("eliminate-noop", "remove Identity, inference Dropout, same-type Cast, same-shape Reshape/Expand, "
                + "identity Transpose, zero Pad, single Concat/Split, x*1, x+0, x-0, x/1", true,
                List.of(new NoOpRule()));
    }

    /** What the check found: the node, the output to forward, the input it equals, and a mask to make constant. */
    record Match(Node node, Value out, Value in, Value maskToConstant) {
    }

    static final class NoOpRule implements RewriteRule<Match> {

        /** The reason of a node that is no candidate at all (a Cast to another type, a Concat of two inputs). */
        private static final String NO_MATCH = "not a no-op of its kind";

        @Override
        public String name() {
            return "noop";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Identity", "Dropout", "Cast", "CastLike", "Reshape", "Expand", "Transpose", "Pad",
                    "Concat", "Split", "Add", "Mul", "Sub", "Div");
        }

        @Override
        public Check<Match> check(Node n, RuleContext ctx) {
            if (n.outputCount() < 1 || n.output(0) == null) {
                return Check.noMatch(NO_MATCH);
            }
            Value out = n.output(0);
            Value in;
            Value mask = null;
            String why;
            switch (n.opType()) {
                case "Identity" -> {
                    in = n.input(0);
                    why = null;
                }
                case "Dropout" -> {
                    in = n.input(0);
                    why = dropoutTraining(n, ctx);
                    Value m = n.output(1);
                    if (why == null && m != null && (m.hasUses() || m.isGraphOutput())) {
                        if (m.isGraphOutput()) {
                            why = "its mask is a graph output";
                        } else if (m.elemType() != DataType.BOOL || in == null || in.shape() == null
                                || !in.shape().isFullyKnown()) {
                            why = "its mask is used and its bool shape is not fully known";
                        } else {
                            mask = m;
                        }
                    }
                }
                case "Cast" -> {
                    in = n.input(0);
                    Optional<DataType> to = n.attrIfPresent(AttrKey.ofInt("to"))
                            .flatMap(c -> DataType.fromCode(c.intValue()));
                    if (in == null || in.elemType() == null || to.isEmpty()) {
                        why = "the input's element type is unknown";
                    } else {
                        why = in.elemType() == to.get() ? null : NO_MATCH;
                    }
                }
                case "CastLike" -> {
                    in = n.input(0);
                    Value like = n.input(1);
                    if (in == null || like == null || in.elemType() == null || like.elemType() == null) {
                        why = "an element type is unknown";
                    } else {
                        why = in.elemType() == like.elemType() ? null : NO_MATCH;
                    }
                }
                case "Reshape", "Expand" -> {
                    in = n.input(0);
                    why = sameKnownShape(in, out);
                }
                case "Transpose" -> {
                    in = n.input(0);
                    why = identityPerm(n, in);
                }
                case "Pad" -> {
                    in = n.input(0);
                    why = zeroPads(n, ctx);
                }
                case "Concat" -> {
                    in = n.input(0);
                    why = n.inputCount() == 1 ? null : NO_MATCH;
                }
                case "Split" -> {
                    in = n.input(0);
                    why = n.outputCount() == 1 ? null : NO_MATCH;
                }
                default -> {
                    Value[] pick = new Value[1];
                    why = neutralArithmetic(n, pick);
                    in = pick[0];
                }
            }
            if (why != null) {
                return NO_MATCH.equals(why) ? Check.noMatch(why) : Check.fail(why);
            }
            if (in == null) {
                return Check.fail("its data input is omitted");
            }
            String blocked = CleanupSupport.whyNotForward(out, in, ctx.graph());
            if (blocked != null) {
                return Check.fail(blocked);
            }
            return Check.ok(new Match(n, out, in, mask));
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            if (m.maskToConstant() != null) {
                long[] dims = m.in().shape().toArray();
                ByteBuffer ones = ByteBuffer.allocate((int) Tensor.elementCount(dims));
                for (int i = 0; i < ones.capacity(); i++) {
                    ones.put(i, (byte) 1);
                }
                Value c = r.addConstant(m.maskToConstant().name() + "_true",
                        Tensor.ofRaw("mask", DataType.BOOL, dims, ones));
                m.maskToConstant().replaceAllUsesWith(c, false);
            }
            CleanupSupport.forward(m.out(), m.in());
            r.removeIfUnused(m.node());
        }

        /** Null when the Dropout is a copy (inference), else why it may be training. */
        private static String dropoutTraining(Node n, RuleContext ctx) {
            if (CleanupSupport.schemaHasAttribute(n, ctx, "is_test")) {
                long isTest = n.attrIfPresent(AttrKey.ofInt("is_test")).orElse(0L);
                return isTest != 0 ? null : "is_test=0 (training) at this opset";
            }
            Value training = n.input(2);
            if (training == null) {
                return null;
            }
            Tensor t = constant(training);
            if (t == null) {
                return "training_mode is not a constant";
            }
            return CleanupSupport.allEqual(t, 0) || (t.dataType() == DataType.BOOL && allZeroLongs(t))
                    ? null : "training_mode is true";
        }

        private static boolean allZeroLongs(Tensor t) {
            for (long l : t.toLongArray()) {
                if (l != 0) {
                    return false;
                }
            }
            return true;
        }

        private static String sameKnownShape(Value in, Value out) {
            if (in == null || in.shape() == null || out.shape() == null || !in.shape().isFullyKnown()
                    || !out.shape().isFullyKnown()) {
                return "input or output shape not fully known";
            }
            return in.shape().dims().stream().map(Dim::value).toList()
                    .equals(out.shape().dims().stream().map(Dim::value).toList()) ? null : NO_MATCH;
        }

        private static String identityPerm(Node n, Value in) {
            long[] perm = ints(n, "perm");
            if (perm == null) {
                int rank = CleanupSupport.rank(in);
                return rank == 0 || rank == 1 ? null : NO_MATCH;
            }
            for (int i = 0; i < perm.length; i++) {
                if (perm[i] != i) {
                    return NO_MATCH;
                }
            }
            return null;
        }

        private static String zeroPads(Node n, RuleContext ctx) {
            long[] pads;
            if (CleanupSupport.schemaHasAttribute(n, ctx, "pads")) {
                pads = ints(n, "pads");
            } else if (CleanupSupport.schemaHasAttribute(n, ctx, "paddings")) {
                pads = ints(n, "paddings");
            } else {
                if (n.input(1) == null) {
                    return "pads input is omitted";
                }
                pads = constInts(n.input(1));
                if (pads == null) {
                    return "pads is not a constant";
                }
            }
            if (pads == null) {
                return "no pads";
            }
            for (long p : pads) {
                if (p != 0) {
                    return NO_MATCH;
                }
            }
            return null;
        }

        /** Null and {@code pick[0]} = x for x op neutral-constant; else a reason. */
        private static String neutralArithmetic(Node n, Value[] pick) {
            if (n.inputCount() != 2) {
                return NO_MATCH;
            }
            Value a = n.input(0);
            Value b = n.input(1);
            String op = n.opType();
            int neutral = op.equals("Add") || op.equals("Sub") ? 0 : 1;
            boolean commutative = op.equals("Add") || op.equals("Mul");
            Value x;
            Tensor c;
            Tensor cb = constant(b);
            Tensor ca = constant(a);
            if (cb != null && CleanupSupport.allEqual(cb, neutral)) {
                x = a;
                c = cb;
            } else if (commutative && ca != null && CleanupSupport.allEqual(ca, neutral)) {
                x = b;
                c = ca;
            } else {
                return NO_MATCH;
            }
            if (x == null || x.elemType() == null) {
                return "x's element type is unknown";
            }
            if (x.elemType() != c.dataType()) {
                return "the constant is " + c.dataType() + ", x is " + x.elemType();
            }
            long[] cd = c.dims();
            if (cd.length > 0) {
                Shape xs = x.shape();
                if (xs == null || xs.rank() < cd.length) {
                    return "broadcasting the constant could change x's shape (x's rank unknown or smaller)";
                }
                for (int i = 0; i < cd.length; i++) {
                    Dim xd = xs.dim(xs.rank() - cd.length + i);
                    long d = cd[i];
                    if (d != 1 && !(xd.isKnown() && xd.value() == d)) {
                        return "broadcasting the constant could change x's shape (dim " + d + " vs " + xd + ")";
                    }
                }
            }
            pick[0] = x;
            return null;
        }
    }
}
