package io.mconv.passes.cleanup;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.RewriteRulePass;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Folds a zero-filling Pad into the {@code pads} of the Conv or AveragePool that alone reads it.
 *
 * <pre>
 * Before:  x ─► Pad(mode=constant, pads=[0,0,1,2, 0,0,1,2], value=0) ─► p ─► Conv(pads=[1,0,1,0]) ─► y
 * After:   x ─► Conv(pads=[2,2,2,2]) ─► y
 * </pre>
 *
 * Conv's (and AveragePool's) explicit padding adds zeros around the spatial dimensions before the windows slide,
 * which is what a constant-mode Pad with value 0 on those dimensions does; the two paddings add up. ONNX writes Pad's
 * pads as {@code [x0_begin, x1_begin, ..., x0_end, x1_end, ...]} over every dimension and Conv's as the same over the
 * spatial dimensions only, so Pad entries 2..r-1 and r+2..2r-1 add to Conv's begin and end halves.
 *
 * <p>Conditions (each refusal says which failed): the Pad's output is read only by the consumer, as its data input,
 * and is not a graph output; mode {@code constant} (reflect, edge and wrap pad with copies, not zeros); pads constant
 * and non-negative (negative pads crop; Conv pads cannot) and zero on N and C; the constant value absent, empty or a
 * constant 0; the consumer has {@code auto_pad} NOTSET (or none); an AveragePool needs {@code count_include_pad=1}
 * (otherwise it would stop counting the Pad's zeros) and {@code ceil_mode=0} (a ceil window running past the padded
 * edge is averaged over different counts). MaxPool is refused: it pads with -inf, not 0.
 *
 * <p>Pad forms: {@code paddings} attribute (Pad-1), {@code pads}/{@code value} attributes (Pad-2), {@code pads} and
 * {@code constant_value} inputs (from 11), and the optional {@code axes} input (from 18), which spreads its pads over
 * the listed axes (negative ones counted from the rank; the rank comes from the data's shape, the Conv weight's rank
 * or {@code kernel_shape}, and the pass refuses when none is known). Constants are initializers or Constant nodes.
 * Subgraphs are visited like the main graph ({@link RewriteRulePass}).
 */
public final class FusePadIntoConv extends RewriteRulePass {

    private static final AttrKey<String> MODE = AttrKey.ofString("mode");
    private static final AttrKey<String> AUTO_PAD = AttrKey.ofString("auto_pad");
    private static final AttrKey<long[]> PADS = AttrKey.ofInts("pads");
    private static final AttrKey<long[]> PADDINGS = AttrKey.ofInts("paddings");
    private static final AttrKey<long[]> KERNEL_SHAPE = AttrKey.ofInts("kernel_shape");
    private static final AttrKey<Float> VALUE = AttrKey.ofFloat("value");
    private static final AttrKey<Long> COUNT_INCLUDE_PAD = AttrKey.ofInt("count_include_pad");
    private static final AttrKey<Long> CEIL_MODE = AttrKey.ofInt("ceil_mode");

    public FusePadIntoConv() {
        super("fuse-pad-into-conv", "fold a zero constant Pad into the pads of the Conv or AveragePool reading it",
                OptimizationLevel.BASIC, List.of(new Rule()));
    }

    private record Match(Node pad, Node consumer, long[] pads) {
    }

    private static final class Rule implements RewriteRule<Match> {

        @Override
        public String name() {
            return "fuse-pad-into-conv";
        }

        @Override
        public Set<String> rootOpTypes() {
            return Set.of("Conv", "AveragePool", "MaxPool");
        }

        @Override
        public Check<Match> check(Node consumer, RuleContext ctx) {
            Check<Node> found = ChainSupport.privateProducer(consumer, 0, "Pad", ctx);
            if (found instanceof Check.Fail<Node> f) {
                return f.as();
            }
            Node pad = ((Check.Ok<Node>) found).match();
            String op = consumer.opType();
            if (op.equals("MaxPool")) {
                return Check.fail("MaxPool pads with -inf, not with the Pad's zeros");
            }
            if (!consumer.attrIfPresent(AUTO_PAD).orElse("NOTSET").equals("NOTSET")) {
                return Check.fail("auto_pad is " + consumer.attr(AUTO_PAD) + ", not NOTSET");
            }
            if (op.equals("AveragePool")) {
                if (consumer.attrIfPresent(COUNT_INCLUDE_PAD).orElse(0L) != 1) {
                    return Check.fail("AveragePool has count_include_pad=0: it would stop counting the padded zeros");
                }
                if (consumer.attrIfPresent(CEIL_MODE).orElse(0L) != 0) {
                    return Check.fail("AveragePool has ceil_mode=1");
                }
            }
            String mode = pad.attrIfPresent(MODE).orElse("constant");
            if (!mode.equals("constant")) {
                return Check.fail("Pad mode is " + mode + ", not constant");
            }
            long[] pads;
            if (pad.attribute("pads").isPresent()) {
                pads = pad.attr(PADS);
            } else if (pad.attribute("paddings").isPresent()) {
                pads = pad.attr(PADDINGS);
            } else {
                Tensor t = ChainSupport.constantOf(pad.inputCount() > 1 ? pad.input(1) : null);
                if (t == null) {
                    return Check.fail("the pads are not constant");
                }
                pads = t.toLongArray();
            }
            String zero = zeroValue(pad);
            if (zero != null) {
                return Check.fail(zero);
            }
            Value axesInput = pad.inputCount() > 3 ? pad.input(3) : null;
            int rank;
            if (axesInput != null) {
                Tensor axes = ChainSupport.constantOf(axesInput);
                if (axes == null) {
                    return Check.fail("the Pad's axes are not constant");
                }
                rank = rankOf(pad, consumer);
                if (rank < 0) {
                    return Check.fail("the rank is unknown, so the Pad's axes cannot be placed");
                }
                long[] ax = axes.toLongArray();
                if (pads.length != 2 * ax.length) {
                    return Check.fail("pads has " + pads.length + " entries for " + ax.length + " axes");
                }
                long[] full = new long[2 * rank];
                boolean[] seen = new boolean[rank];
                for (int i = 0; i < ax.length; i++) {
                    long a = ax[i] < 0 ? ax[i] + rank : ax[i];
                    if (a < 0 || a >= rank || seen[(int) a]) {
                        return Check.fail("axes " + Arrays.toString(ax) + " out of range or repeated for rank " + rank);
                    }
                    seen[(int) a] = true;
                    full[(int) a] = pads[i];
                    full[rank + (int) a] = pads[ax.length + i];
                }
                pads = full;
            } else {
                if (pads.length % 2 != 0) {
                    return Check.fail("pads has an odd number of entries");
                }
                rank = pads.length / 2;
            }
            if (rank < 3) {
                return Check.fail("rank " + rank + " has no spatial dimension");
            }
            for (long p : pads) {
                if (p < 0) {
                    return Check.fail("negative pads " + Arrays.toString(pads) + " crop, which " + op + " cannot");
                }
            }
            if (pads[0] != 0 || pads[1] != 0 || pads[rank] != 0 || pads[rank + 1] != 0) {
                return Check.fail("pads " + Arrays.toString(pads) + " pad the batch or channel dimension");
            }
            int spatial = rank - 2;
            long[] old = consumer.attrIfPresent(PADS).orElse(new long[2 * spatial]);
            if (old.length != 2 * spatial) {
                return Check.fail(op + " pads " + Arrays.toString(old) + " do not match rank " + rank);
            }
            long[] merged = new long[2 * spatial];
            for (int i = 0; i < spatial; i++) {
                merged[i] = old[i] + pads[2 + i];
                merged[spatial + i] = old[spatial + i] + pads[rank + 2 + i];
            }
            return Check.ok(new Match(pad, consumer, merged));
        }

        /** Null when the fill value is zero (or absent); else why not. */
        private static String zeroValue(Node pad) {
            if (pad.attribute("value").isPresent()) {
                float v = pad.attr(VALUE);
                return v == 0f ? null : "the Pad value is " + v + ", not 0";
            }
            Value cv = pad.inputCount() > 2 ? pad.input(2) : null;
            if (cv == null || cv.name().isEmpty()) {
                return null;
            }
            Tensor t = ChainSupport.constantOf(cv);
            if (t == null) {
                return "the Pad's constant_value is not constant";
            }
            for (double d : t.toDoubleArray()) {
                if (d != 0) {
                    return "the Pad's constant_value is " + d + ", not 0";
                }
            }
            return null;
        }

        /** The data rank from the Pad's input shape, the Conv weight or kernel_shape; -1 when unknown. */
        private static int rankOf(Node pad, Node consumer) {
            Shape s = pad.input(0).shape();
            if (s != null) {
                return s.rank();
            }
            if (consumer.opType().equals("Conv") && consumer.inputCount() > 1 && consumer.input(1) != null) {
                Value w = consumer.input(1);
                if (w.constValue() != null) {
                    return w.constValue().rank();
                }
                if (w.shape() != null) {
                    return w.shape().rank();
                }
            }
            return consumer.attrIfPresent(KERNEL_SHAPE).map(k -> k.length + 2).orElse(-1);
        }

        @Override
        public void rewrite(Match m, Rewriter r) {
            r.setAttribute(m.consumer(), Attribute.ofInts("pads", m.pads()));
            r.setInput(m.consumer(), 0, m.pad().input(0));
            List<Value> params = m.pad().inputs().subList(1, m.pad().inputCount());
            List<Value> copy = new java.util.ArrayList<>(params);
            r.removeIfUnused(m.pad());
            for (Value v : copy) {
                if (v != null) {
                    r.removeConstantIfUnused(v);
                }
            }
        }
    }
}
