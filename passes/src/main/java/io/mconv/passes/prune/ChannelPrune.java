package io.mconv.passes.prune;

import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * prune-channels: structured pruning. For each Conv (group 1), Gemm and MatMul with a constant weight, removes the
 * {@code floor(sparsity · C)} output channels whose weights have the smallest L1 norm, and rewrites what reads them.
 *
 * <pre>
 * Before:  x ─► Conv(W[64,32,3,3], b[64]) ─► BatchNormalization(γ, β, μ, σ²[64]) ─► Relu ─► Conv(V[128,64,3,3]) ─► z
 * After:   x ─► Conv(W[32,32,3,3], b[32]) ─► BatchNormalization(γ, β, μ, σ²[32]) ─► Relu ─► Conv(V[128,32,3,3]) ─► z
 * </pre>
 *
 * Correct for the channels kept: each kept channel is computed from the same filter and goes through the same
 * channel-wise operators, and the next layer sums over the remaining input channels only. The removed channels'
 * contribution to the next layer is lost; it is zero exactly when their activation is zero (an all-zero filter whose
 * bias and BatchNormalization shift end at 0 after a Relu, say), and otherwise it is the accuracy effect the report
 * measures. Which operators the walk passes through, and where it refuses, is {@link ChannelRegion}'s; a refused
 * layer is listed with its reason and left intact. Layers are visited in graph order and each sees the model as the
 * previous ones left it (a layer that lost input channels as a consumer is then ranked on what remains).
 *
 * <p>Idempotent at one sparsity: the node records how many output channels it had before its first pruning
 * ({@value #ORIGINAL_CHANNELS} in its metadata) and a later run only prunes down to {@code (1 − sparsity)} of that
 * count, so a second run at the same sparsity changes nothing and a higher one prunes on from the original. Every
 * layer keeps at least one channel. Subgraphs are pruned like the main graph (a region must not cross into one).
 */
public final class ChannelPrune implements Pass {

    /** Node metadata key: output channels before the first structured pruning. */
    public static final String ORIGINAL_CHANNELS = "mconv.prune.original_channels";

    private final Sparsity sparsity;

    public ChannelPrune(Sparsity sparsity) {
        this.sparsity = sparsity;
    }

    @Override
    public String name() {
        return "prune-channels";
    }

    @Override
    public String description() {
        return "remove the " + sparsity.value() + " share of output channels with the smallest L1 norm, rewriting "
                + "their consumers";
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
                    continue;
                }
                LinearLayer layer = ins.layer();
                long now = layer.outChannels();
                long original = originalChannels(n, now);
                long keep = Math.max(1, original - sparsity.removedOf(original));
                if (now <= keep) {
                    continue;
                }
                ChannelRegion.Trace trace = ChannelRegion.trace(layer);
                if (trace.region() == null) {
                    notes.add(layer.describe() + ": " + trace.refusal());
                    continue;
                }
                prune(g, layer, trace.region(), keptChannels(layer, (int) keep));
                Map<String, String> meta = new LinkedHashMap<>(n.metadata());
                meta.put(ORIGINAL_CHANNELS, Long.toString(original));
                n.setMetadata(meta);
                rewrites++;
            }
        }
        return new PassResult(rewrites, notes);
    }

    private static long originalChannels(Node n, long now) {
        String recorded = n.metadata().get(ORIGINAL_CHANNELS);
        try {
            return recorded == null ? now : Math.max(now, Long.parseLong(recorded));
        } catch (NumberFormatException e) {
            return now;
        }
    }

    /** The {@code keep} channels of largest L1 norm, ascending; ties keep the earlier channel. */
    private static int[] keptChannels(LinearLayer layer, int keep) {
        double[] norms = ChannelSlicer.l1Norms(layer.weights(), layer.outAxis());
        int[] kept = IntStream.range(0, norms.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -norms[i]).thenComparingInt(i -> i))
                .limit(keep).mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }

    private static void prune(Graph g, LinearLayer producer, ChannelRegion region, int[] kept) {
        sliceInPlace(producer.weight(), producer.outAxis(), kept);
        for (ChannelRegion.ConstantSlice s : region.slices()) {
            sliceInput(g, s.node(), s.inputIndex(), s.axis(), kept);
        }
        for (LinearLayer consumer : region.consumers()) {
            sliceInPlace(consumer.weight(), consumer.inAxis(), kept);
        }
        for (ChannelRegion.ChannelValue v : region.values()) {
            narrow(v.value(), v.axis(), kept.length);
        }
    }

    /** A weight only its layer reads (checked by {@link LinearLayer}) is replaced where it is. */
    private static void sliceInPlace(Value weight, int axis, int[] kept) {
        Tensor t = weight.constValue();
        Tensor sliced = ChannelSlicer.keep(t, axis, kept, t.name());
        weight.setConstValue(sliced);
        weight.setType(new ValueType.TensorType(sliced.dataType(), sliced.shape()));
    }

    /**
     * A constant operand gets a sliced copy of its own: the original may be read elsewhere (one BatchNormalization
     * parameter or one scale for several layers), and it is dropped when nothing reads it any more.
     */
    private static void sliceInput(Graph g, Node node, int index, int axis, int[] kept) {
        Value old = node.input(index);
        Tensor t = RuleContext.constantOf(old);
        Value sliced = g.addInitializer(ChannelSlicer.keep(t, axis, kept, g.uniqueName(old.name() + "_pruned")));
        node.setInput(index, sliced);
        if (old.hasUses() || old.isGraphOutput()) {
            return;
        }
        if (old.isInitializer() && !old.isGraphInput()) {
            old.graph().removeInitializer(old.name());
        } else if (old.producer() != null && old.producer().opType().equals("Constant")) {
            old.producer().graph().remove(old.producer());
        }
    }

    private static void narrow(Value v, int axis, int channels) {
        if (!(v.type() instanceof ValueType.TensorType tt) || tt.shape() == null || axis < 0
                || axis >= tt.shape().rank()) {
            return;
        }
        List<Dim> dims = new ArrayList<>(tt.shape().dims());
        dims.set(axis, Dim.of(channels));
        v.setType(new ValueType.TensorType(tt.elemType(), new Shape(dims), tt.denotation()));
    }
}
