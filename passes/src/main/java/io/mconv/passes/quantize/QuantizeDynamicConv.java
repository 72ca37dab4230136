package io.mconv.passes.quantize;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * quantize-dynamic-conv: dynamic int8 for Conv with a constant float weight, as ONNX Runtime's quantize_dynamic
 * does for CNNs. Opt-in ({@code --include-conv}): ConvInteger has no fused integer kernel on CPUs without VNNI and
 * runs several times slower than float Conv there, so a user must ask for it.
 *
 * <pre>
 * Before:  X ─► Conv(X, W[O,C/g,k...], B) ─► y
 * After (qoperator):
 *          X ─► DynamicQuantizeLinear ─► x_q, x_scale, x_zp
 *          ConvInteger(x_q, W_q, x_zp[, W_zp]) ─► Cast(float) ─► Mul(·, x_scale·W_scale) [─► Add(·, B[O,1,..])] ─► y
 * After (qdq):
 *          X ─► DynamicQuantizeLinear ─► DequantizeLinear ─► x'     W_q ─► DequantizeLinear(axis 0) ─► W'
 *          Conv(x', W', B) ─► y
 * </pre>
 *
 * ConvInteger subtracts both zero points exactly in int32, so the integer result times both scales is the
 * convolution of the dequantized values; the bias is added in float afterwards (ConvInteger has no bias input).
 * The QOperator form has one weight scale per tensor: ConvInteger takes one weight zero point, and the scale after
 * it would have to be broadcast per output channel, which this form leaves to the QDQ form ({@code --per-channel}
 * gives DequantizeLinear an axis-0 scale per output channel there). Conv's attributes (pads, strides, dilations,
 * group, auto_pad, kernel_shape) are carried over unchanged: ConvInteger defines the same ones. Refuses, with a
 * diagnostic: excluded nodes, weights that are not constant float initializers. Idempotent: a Conv whose weight
 * already comes from a DequantizeLinear is left alone silently.
 */
public final class QuantizeDynamicConv implements Pass {

    private final DynamicQuantConfig config;

    public QuantizeDynamicConv(DynamicQuantConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "quantize-dynamic-conv";
    }

    @Override
    public String description() {
        return "int8 weights and run-time quantized activations for Conv (" + (config.format() == QuantFormat.QDQ
                ? "QDQ" : "ConvInteger") + ")";
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
            rewrites += runGraph(g, notes);
        }
        return new PassResult(rewrites, notes);
    }

    private int runGraph(Graph g, List<String> notes) {
        int opset = g.opsetVersion("");
        int needed = config.format() == QuantFormat.QDQ && config.perChannel() ? 13 : 11;
        if (opset >= 0 && opset < needed) {
            if (g.nodes().stream().anyMatch(n -> n.opType().equals("Conv"))) {
                notes.add("graph '" + g.name() + "': opset " + opset + " is below " + needed
                        + ", which dynamic Conv quantization needs; no Conv quantized");
            }
            return 0;
        }
        Map<Value, List<Value>> activations = new HashMap<>();
        int rewrites = 0;
        for (Node node : g.nodes()) {
            if (!node.opType().equals("Conv") || !node.isDefaultDomain()) {
                continue;
            }
            if (config.exclusions().excludes(node)) {
                notes.add(node.name() + ": excluded");
                continue;
            }
            if (QuantizeDynamic.alreadyQuantized(node)) {
                continue;
            }
            Value w = node.inputCount() > 1 ? node.input(1) : null;
            Tensor weight = w == null ? null : w.constValue();
            if (weight == null || !w.isInitializer() || w.isGraphInput() || weight.dataType() != DataType.FLOAT
                    || weight.rank() < 3) {
                notes.add(node.name() + " (Conv): the weight is not a constant float initializer");
                continue;
            }
            NodeInserter at = new NodeInserter(g, node);
            List<Value> xq = activations.computeIfAbsent(node.input(0),
                    x -> QuantizeDynamic.quantizeActivation(at, x, config.format()));
            if (config.format() == QuantFormat.QOPERATOR) {
                rewriteConvInteger(g, at, node, weight, xq);
            } else {
                rewriteQdq(at, node, weight, xq);
            }
            NodeInserter.dropIfUnused(g, w);
            rewrites++;
        }
        return rewrites;
    }

    private void rewriteConvInteger(Graph g, NodeInserter at, Node conv, Tensor weight, List<Value> xq) {
        ChannelQuantizer.QuantizedMatrix q = quantizeWeight(weight, false);
        String base = conv.input(1).name();
        Value codes = at.initializer(IntegerTensors.of(base + "_quantized", config.weightType(), weight.dims(),
                q.codes()));
        Value scale = at.initializer(Tensor.ofFloats(base + "_scale", new long[0], q.scales()));
        List<Value> inputs = new ArrayList<>(List.of(xq.get(0), codes, xq.get(2)));
        if (!QuantizeDynamic.zeroPointsAreDefault(config.weightType(), q.zeroPoints())) {
            inputs.add(at.initializer(IntegerTensors.of(base + "_zero_point", config.weightType(), new long[0],
                    q.zeroPoints())));
        }
        Value y = conv.output(0);
        Shape shape = y.shape();
        Value product = at.node("ConvInteger", y.name(), inputs, List.copyOf(conv.attributes()),
                NodeInserter.tensorType(DataType.INT32, shape));
        Value asFloat = at.node("Cast", y.name(), List.of(product),
                List.of(Attribute.ofInt("to", DataType.FLOAT.code())), NodeInserter.tensorType(DataType.FLOAT, shape));
        Value combined = at.node("Mul", y.name() + "_scale", List.of(xq.get(1), scale), List.of(), null);
        Value result = at.node("Mul", y.name(), List.of(asFloat, combined), List.of(),
                NodeInserter.tensorType(DataType.FLOAT, shape));
        Value bias = conv.inputCount() > 2 ? conv.input(2) : null;
        if (bias != null && !bias.name().isEmpty()) {
            result = at.node("Add", y.name(), List.of(result, channelBias(g, at, bias, weight.rank() - 2)),
                    List.of(), NodeInserter.tensorType(DataType.FLOAT, shape));
        }
        NodeInserter.takeOver(g, conv, y, result);
        if (bias != null) {
            NodeInserter.dropIfUnused(g, bias);
        }
    }

    /** B[O] as [O, 1, ...] so that it broadcasts over [N, O, spatial...]; a computed bias gets a Reshape. */
    private static Value channelBias(Graph g, NodeInserter at, Value bias, int spatialRank) {
        Tensor b = bias.constValue();
        long[] dims = new long[1 + spatialRank];
        Arrays.fill(dims, 1);
        if (b != null && bias.isInitializer() && !bias.isGraphInput()) {
            dims[0] = b.dims()[0];
            return at.initializer(b.reshaped(dims).withName(bias.name() + "_channels"));
        }
        dims[0] = -1;
        Value shape = at.initializer(Tensor.ofLongs(bias.name() + "_channels_shape", new long[] {dims.length}, dims));
        return at.node("Reshape", bias.name() + "_channels", List.of(bias, shape), List.of(), null);
    }

    private void rewriteQdq(NodeInserter at, Node conv, Tensor weight, List<Value> xq) {
        boolean perChannel = config.perChannel();
        ChannelQuantizer.QuantizedMatrix q = quantizeWeight(weight, perChannel);
        String base = conv.input(1).name();
        long[] paramDims = perChannel ? new long[] {weight.dims()[0]} : new long[0];
        List<Value> inputs = new ArrayList<>(List.of(
                at.initializer(IntegerTensors.of(base + "_quantized", config.weightType(), weight.dims(), q.codes())),
                at.initializer(Tensor.ofFloats(base + "_scale", paramDims, q.scales()))));
        if (!QuantizeDynamic.zeroPointsAreDefault(config.weightType(), q.zeroPoints())) {
            inputs.add(at.initializer(IntegerTensors.of(base + "_zero_point", config.weightType(), paramDims,
                    q.zeroPoints())));
        }
        List<Attribute> axis = perChannel ? List.of(Attribute.ofInt("axis", 0)) : List.of();
        Value restored = at.node("DequantizeLinear", base + "_dq", inputs, axis,
                NodeInserter.tensorType(DataType.FLOAT, Shape.of(weight.dims())));
        conv.setInput(0, xq.get(3));
        conv.setInput(1, restored);
    }

    /**
     * Codes in the weight's stored [O, C/g, k...] order. The channel quantizer groups by column, so the weight goes
     * in as its transpose [C/g·k..., O] (one column per output channel) and the codes come back transposed.
     */
    private ChannelQuantizer.QuantizedMatrix quantizeWeight(Tensor weight, boolean perChannel) {
        int outChannels = (int) weight.dims()[0];
        float[] v = weight.toFloatArray();
        int perChannelCount = v.length / outChannels;
        float[] columns = new float[v.length];
        for (int o = 0; o < outChannels; o++) {
            for (int k = 0; k < perChannelCount; k++) {
                columns[k * outChannels + o] = v[o * perChannelCount + k];
            }
        }
        QuantRange range = QuantRange.of(config.weightType(), config.symmetric(), config.reduceRange());
        ChannelQuantizer.QuantizedMatrix q = new ChannelQuantizer(range, config.symmetric())
                .quantize(new WeightMatrix(perChannelCount, outChannels, columns), perChannel);
        int[] codes = new int[v.length];
        for (int o = 0; o < outChannels; o++) {
            for (int k = 0; k < perChannelCount; k++) {
                codes[o * perChannelCount + k] = q.codes()[k * outChannels + o];
            }
        }
        return new ChannelQuantizer.QuantizedMatrix(codes, q.params());
    }
}
