package io.mconv.passes.fusion;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RuleContext;
import io.mconv.passes.rewrite.Rewriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Folding a per-output-channel affine map {@code y = s·conv(x) + t} into a Conv or ConvTranspose: the shared part of
 * fuse-conv-bn, fuse-conv-mul and fuse-conv-add. Because convolution is linear in its weights and each output
 * channel {@code o} reads only the weights of that channel, {@code s[o]·(W[o]∗x + b[o]) + t[o] = (s[o]·W[o])∗x +
 * (s[o]·b[o] + t[o])}. For Conv the output channel is axis 0 of W ({@code [M, C/g, k...]}); for ConvTranspose W is
 * {@code [C, M/g, k...]} and element {@code (i, j, ...)} feeds output channel {@code (i / (C/g))·(M/g) + j}.
 * The arithmetic is done in double and rounded once to the weight's dtype. The folded weights always go into new
 * initializers, so a weight shared with another node is never changed under it.
 */
final class ConvFolding {

    private ConvFolding() {
    }

    /** What a check found: the conv, its constant weights, the node whose output the new conv replaces. */
    record Match(Node conv, Tensor weight, Tensor bias, Node root, double[] scale, double[] shift) {
    }

    /**
     * Checks the conv side: {@code convOut} produced by a Conv/ConvTranspose of this graph, private to {@code root},
     * constant weights (and bias if present) in a dtype we can write back.
     *
     * @return the conv node, or a failure
     */
    static Check<Node> checkConv(RuleContext ctx, Value convOut, Node root) {
        Node conv = FusionSupport.producer(ctx, convOut, "Conv");
        if (conv == null) {
            conv = FusionSupport.producer(ctx, convOut, "ConvTranspose");
        }
        if (conv == null) {
            return Check.noMatch("input is not produced by a Conv or ConvTranspose of this graph");
        }
        String np = FusionSupport.notPrivate(ctx, convOut, root);
        if (np != null) {
            return Check.fail("conv output " + np);
        }
        Tensor w = FusionSupport.constant(conv.input(1));
        if (w == null) {
            return Check.fail("conv weights '" + conv.input(1).name() + "' are not constant");
        }
        if (!FusionSupport.writable(w.dataType())) {
            return Check.fail("conv weights are " + w.dataType() + "; only float32, float64 and float16 are folded");
        }
        if (w.rank() < 3) {
            return Check.fail("conv weights have rank " + w.rank());
        }
        Value b = conv.input(2);
        if (b != null) {
            Tensor bt = FusionSupport.constant(b);
            if (bt == null) {
                return Check.fail("conv bias '" + b.name() + "' is not constant");
            }
            if (bt.dataType() != w.dataType() || bt.elementCount() != outChannels(conv, w)) {
                return Check.fail("conv bias has dtype " + bt.dataType() + " and " + bt.elementCount() + " elements");
            }
        }
        if (conv.opType().equals("ConvTranspose")) {
            long g = conv.attr(AttrKey.ofInt("group"));
            if (g < 1 || w.dims()[0] % g != 0) {
                return Check.fail("ConvTranspose group " + g + " does not divide the " + w.dims()[0]
                        + " input channels");
            }
        }
        return Check.ok(conv);
    }

    /** Output channels of a conv with weights {@code w}. */
    static long outChannels(Node conv, Tensor w) {
        if (conv.opType().equals("ConvTranspose")) {
            return w.dims()[1] * conv.attr(AttrKey.ofInt("group"));
        }
        return w.dims()[0];
    }

    static Match match(Node conv, Node root, double[] scale, double[] shift) {
        Tensor b = conv.input(2) == null ? null : FusionSupport.constant(conv.input(2));
        return new Match(conv, FusionSupport.constant(conv.input(1)), b, root, scale, shift);
    }

    /**
     * Writes the folded conv before the root, makes the root's output read from it, and removes the root, the old
     * conv and whatever constants nothing reads any more.
     */
    static void rewrite(Match m, Rewriter rw) {
        Node conv = m.conv();
        Tensor w = m.weight();
        DataType type = w.dataType();
        long channels = outChannels(conv, w);
        double[] scale = m.scale();
        Tensor folded = scale == null ? null : scaledWeights(conv, w, scale);
        double[] bias = new double[(int) channels];
        if (m.bias() != null) {
            double[] old = m.bias().toDoubleArray();
            System.arraycopy(old, 0, bias, 0, bias.length);
        }
        for (int o = 0; o < bias.length; o++) {
            if (scale != null) {
                bias[o] *= scale[o];
            }
            if (m.shift() != null) {
                bias[o] += m.shift()[o];
            }
        }
        Value oldW = conv.input(1);
        Value oldB = conv.input(2);
        List<Value> inputs = new ArrayList<>();
        inputs.add(conv.input(0));
        inputs.add(scale == null ? oldW : rw.addConstant(oldW.name() + "_fused", folded));
        inputs.add(rw.addConstant((oldB != null ? oldB.name() : oldW.name() + "_bias") + "_fused",
                FusionSupport.tensor("", type, new long[] {channels}, bias)));
        Value out = rw.addNode("", conv.opType(), inputs, new ArrayList<>(conv.attributes()),
                conv.output(0).name() + "_fused");
        Node root = m.root();
        List<Value> rootInputs = new ArrayList<>(root.inputs());
        rw.replace(root.output(0), out);
        rw.removeIfUnused(root, conv);
        rootInputs.add(oldW);
        rootInputs.add(oldB);
        dropIfDead(rw, rootInputs);
    }

    /**
     * {@code W} with each element multiplied by its output channel's scale, in double, rounded once to W's dtype.
     * float32 Conv weights (nearly all of them) are scaled in a float array: {@code (float) (f * s)} rounds exactly as
     * the double path does, without a double copy of every weight (resnet50's 25M weights were 200 MB of doubles).
     */
    private static Tensor scaledWeights(Node conv, Tensor w, double[] scale) {
        if (w.dataType() == DataType.FLOAT && conv.opType().equals("Conv")) {
            // Conv's rows are its output channels: one scale per contiguous row, no index arithmetic per element.
            float[] f = w.toFloatArray();
            int perRow = f.length / scale.length;
            for (int row = 0; row < scale.length; row++) {
                double s = scale[row];
                for (int i = row * perRow, end = i + perRow; i < end; i++) {
                    f[i] = (float) (f[i] * s);
                }
            }
            return Tensor.ofFloats("", w.dims(), f);
        }
        IntUnaryOperator channelOf = channelIndex(conv, w);
        double[] d = w.toDoubleArray();
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale[channelOf.applyAsInt(i)];
        }
        return FusionSupport.tensor("", w.dataType(), w.dims(), d);
    }

    /** The output channel that weight element {@code i} (row-major) feeds. */
    private static IntUnaryOperator channelIndex(Node conv, Tensor w) {
        long[] d = w.dims();
        long perRow = w.elementCount() / d[0];
        if (conv.opType().equals("Conv")) {
            return i -> (int) (i / perRow);
        }
        long group = conv.attr(AttrKey.ofInt("group"));
        long inPerGroup = d[0] / group;
        long outPerGroup = d[1];
        long kernel = perRow / outPerGroup;
        return i -> (int) (((i / perRow) / inPerGroup) * outPerGroup + (i % perRow) / kernel);
    }

    /** Removes initializers and Constant nodes among {@code values} that nothing reads any more. */
    static void dropIfDead(Rewriter rw, List<Value> values) {
        for (Value v : values) {
            if (v == null || v.hasUses() || v.isGraphOutput()) {
                continue;
            }
            if (v.isInitializer() && v.graph() == rw.graph()) {
                rw.removeConstantIfUnused(v);
            } else if (v.producer() != null && v.producer().opType().equals("Constant")) {
                rw.removeIfUnused(v.producer());
            }
        }
    }
}
