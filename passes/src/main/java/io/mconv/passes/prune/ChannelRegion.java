package io.mconv.passes.prune;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Usage;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything that carries one layer's output channels, found by walking forward from its output: the values whose
 * channel dimension shrinks, the constant inputs that must lose the same channels (the layer's bias, BatchNormalization
 * statistics, per-channel scales and shifts), and the next layers whose input channels go. The walk passes through
 * operators that treat channels independently (activations, pooling, inference BatchNormalization, elementwise
 * arithmetic with a constant or with another value of the region) and stops at a Conv/Gemm/MatMul that reads the
 * region as its activation. Anything else on the way refuses the whole layer, with a reason: a residual Add (the other
 * operand keeps all channels), Concat, Reshape/Flatten (their fixed shapes count the channels), a graph output (the
 * model's interface would change), a use inside a subgraph, a grouped Conv, a tied weight.
 */
final class ChannelRegion {

    /** Operators that map each channel to the same channel and read no other tensor but broadcast constants. */
    private static final Set<String> CHANNEL_WISE = Set.of("Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh",
            "HardSigmoid", "HardSwish", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Gelu", "Erf", "Mish",
            "ThresholdedRelu", "Clip", "Identity", "Dropout", "Neg", "Abs", "Sqrt", "Exp", "Log", "Reciprocal",
            "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min");

    /** Pooling keeps the channel axis (1) and pools each channel alone. */
    private static final Set<String> POOLING = Set.of("MaxPool", "AveragePool", "LpPool", "GlobalAveragePool",
            "GlobalMaxPool", "GlobalLpPool");

    /** A constant input of {@code node} that must lose the pruned channels along {@code axis}. */
    record ConstantSlice(Node node, int inputIndex, int axis) {
    }

    /** A value whose channel dimension (at {@code axis} of its shape, when the shape is known) shrinks. */
    record ChannelValue(Value value, int axis) {
    }

    private final List<ChannelValue> values;
    private final List<ConstantSlice> slices;
    private final List<LinearLayer> consumers;

    private ChannelRegion(List<ChannelValue> values, List<ConstantSlice> slices, List<LinearLayer> consumers) {
        this.values = values;
        this.slices = slices;
        this.consumers = consumers;
    }

    List<ChannelValue> values() {
        return values;
    }

    List<ConstantSlice> slices() {
        return slices;
    }

    List<LinearLayer> consumers() {
        return consumers;
    }

    /** The region, or why the layer cannot be pruned. */
    record Trace(ChannelRegion region, String refusal) {
    }

    /**
     * Where the channels lie in a tensor of the region: {@code fromRight} counts from the last axis (what
     * broadcasting aligns on); {@code absolute} is the axis from the left, -1 when the rank is not known.
     */
    private record ChannelAxis(int fromRight, int absolute) {

        int in(Value v) {
            if (v.shape() == null) {
                return absolute;
            }
            return v.shape().rank() - 1 - fromRight;
        }
    }

    static Trace trace(LinearLayer producer) {
        Node p = producer.node();
        if (p.outputCount() != 1) {
            return refuse("has " + p.outputCount() + " outputs");
        }
        if (producer.group() != 1) {
            return refuse("is a grouped Conv (group " + producer.group() + "): its filters are tied to input "
                    + "channel groups");
        }
        Value y = p.output(0);
        ChannelAxis axis = axisOf(producer, y);
        long channels = producer.outChannels();
        List<ConstantSlice> slices = new ArrayList<>();
        if (p.inputCount() > 2 && p.input(2) != null) {
            String bias = producer.opType().equals("Conv")
                    ? addSlice(slices, p, 2, new ChannelAxis(0, 0), channels)
                    : addSlice(slices, p, 2, axis, channels);
            if (bias != null) {
                return refuse("its bias " + bias);
            }
        }
        Graph g = p.graph();
        Set<Value> region = new LinkedHashSet<>();
        Set<Node> interior = new LinkedHashSet<>();
        List<LinearLayer> consumers = new ArrayList<>();
        Deque<Value> todo = new ArrayDeque<>();
        region.add(y);
        todo.add(y);
        while (!todo.isEmpty()) {
            Value v = todo.poll();
            if (v.isGraphOutput()) {
                return refuse("its channels reach the graph output '" + v.name() + "'");
            }
            for (Usage u : v.uses()) {
                Node n = u.node();
                if (n.graph() != g) {
                    return refuse("its output is read inside a subgraph ('" + n.name() + "')");
                }
                if (LinearLayer.isLinearOp(n) && u.inputIndex() == 0) {
                    String why = acceptConsumer(n, producer, axis, consumers);
                    if (why != null) {
                        return refuse("it feeds " + n.name() + " (" + n.opType() + "), " + why);
                    }
                    continue;
                }
                if (!passesChannels(n, u.inputIndex())) {
                    return refuse("it feeds " + describeBlocker(n));
                }
                if (interior.add(n)) {
                    for (Value out : n.outputs()) {
                        if (out == null) {
                            continue;
                        }
                        if (out != n.output(0)) {
                            if (out.hasUses() || out.isGraphOutput()) {
                                return refuse("it feeds " + n.name() + " (" + n.opType() + ") whose second output is "
                                        + "used");
                            }
                            continue;
                        }
                        region.add(out);
                        todo.add(out);
                    }
                }
            }
        }
        for (Node n : interior) {
            String why = n.opType().equals("BatchNormalization") ? sliceBatchNorm(n, axis, channels, slices)
                    : sliceOperands(n, region, axis, channels, slices);
            if (why != null) {
                return refuse("it feeds " + n.name() + " (" + n.opType() + "), " + why);
            }
        }
        List<ChannelValue> values = new ArrayList<>();
        for (Value v : region) {
            values.add(new ChannelValue(v, axis.in(v)));
        }
        return new Trace(new ChannelRegion(values, slices, consumers), null);
    }

    private static ChannelAxis axisOf(LinearLayer producer, Value y) {
        return switch (producer.opType()) {
            case "Conv" -> new ChannelAxis(producer.weights().rank() - 2, 1);
            case "Gemm" -> new ChannelAxis(0, 1);
            default -> new ChannelAxis(0, y.shape() == null ? -1 : y.shape().rank() - 1);
        };
    }

    private static boolean passesChannels(Node n, int inputIndex) {
        if (!n.isDefaultDomain()) {
            return false;
        }
        if (n.opType().equals("BatchNormalization") || POOLING.contains(n.opType())) {
            return inputIndex == 0;
        }
        return CHANNEL_WISE.contains(n.opType());
    }

    private static String describeBlocker(Node n) {
        String op = n.opType();
        String what = n.name() + " (" + op + ")";
        return switch (op) {
            case "Concat" -> what + ": concatenated channels would shift";
            case "Reshape", "Flatten" -> what + ", whose fixed shape counts the channels";
            case "Shape", "Size" -> what + ", whose result counts the channels";
            case "LayerNormalization", "Softmax", "LogSoftmax", "ReduceMean", "ReduceSum", "InstanceNormalization",
                    "GroupNormalization" -> what + ", which mixes the channels";
            default -> what + ", which it cannot rewrite channel by channel";
        };
    }

    /** Null when {@code n} can read fewer input channels, else why not; adds it to {@code consumers}. */
    private static String acceptConsumer(Node n, LinearLayer producer, ChannelAxis axis, List<LinearLayer> consumers) {
        LinearLayer.Inspection ins = LinearLayer.inspect(n);
        if (ins.layer() == null) {
            return ins.refusal();
        }
        LinearLayer c = ins.layer();
        if (c.opType().equals("Conv")) {
            if (c.group() != 1) {
                return "a grouped Conv (group " + c.group() + ")";
            }
            if (!producer.opType().equals("Conv") || c.weights().rank() != producer.weights().rank()) {
                return "whose input channels are not the pruned axis";
            }
        } else {
            if (c.transposesActivation()) {
                return "a Gemm with transA";
            }
            if (axis.fromRight() != 0) {
                return "whose input channels are not the pruned axis";
            }
        }
        if (consumers.stream().noneMatch(k -> k.node() == n)) {
            consumers.add(c);
        }
        return null;
    }

    private static String sliceBatchNorm(Node bn, ChannelAxis axis, long channels, List<ConstantSlice> slices) {
        if (axis.absolute() != 1) {
            return "whose channel axis (1) is not the pruned one";
        }
        if (bn.attrIfPresent(AttrKey.ofInt("training_mode")).orElse(0L) != 0) {
            return "in training mode";
        }
        for (int i = 1; i < bn.inputCount(); i++) {
            Tensor t = RuleContext.constantOf(bn.input(i));
            if (t == null || t.rank() != 1 || t.elementCount() != channels) {
                return "parameter " + i + " is not a constant of " + channels + " values";
            }
            slices.add(new ConstantSlice(bn, i, 0));
        }
        return null;
    }

    /** Every input outside the region must be a constant that broadcasts along the channels (sliced) or over them. */
    private static String sliceOperands(Node n, Set<Value> region, ChannelAxis axis, long channels,
                                        List<ConstantSlice> slices) {
        for (int i = 0; i < n.inputCount(); i++) {
            Value in = n.input(i);
            if (in == null || region.contains(in)) {
                continue;
            }
            String why = addSlice(slices, n, i, axis, channels);
            if (why != null) {
                return n.opType().equals("Add") && RuleContext.constantOf(in) == null
                        ? "a residual Add with '" + in.name() + "', which keeps every channel"
                        : "operand '" + in.name() + "' " + why;
            }
        }
        return null;
    }

    /** Records the slice a constant operand needs (none when it broadcasts over the channels); else why not. */
    private static String addSlice(List<ConstantSlice> slices, Node n, int index, ChannelAxis axis, long channels) {
        Tensor t = RuleContext.constantOf(n.input(index));
        if (t == null) {
            return "is computed, not a constant";
        }
        int rank = t.rank();
        if (rank <= axis.fromRight()) {
            return null;
        }
        int at = rank - 1 - axis.fromRight();
        long d = t.dims()[at];
        if (d == 1) {
            return null;
        }
        if (d != channels) {
            return "has " + d + " values along the channel axis, not " + channels;
        }
        slices.add(new ConstantSlice(n, index, at));
        return null;
    }

    private static Trace refuse(String reason) {
        return new Trace(null, reason);
    }
}
