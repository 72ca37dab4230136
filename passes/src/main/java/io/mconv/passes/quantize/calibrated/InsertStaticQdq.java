package io.mconv.passes.quantize.calibrated;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Usage;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Static int8 quantization in QDQ form: QuantizeLinear/DequantizeLinear pairs on activations, with parameters
 * from calibrated ranges, and DequantizeLinear on int8 weights and int32 biases.
 *
 * <pre>
 * Before:  x ─► Conv(W, B) ─► y ─► Relu ─► r ─► MaxPool ─► m
 * After:   x ─► Q ─► DQ ─► Conv(DQ(W_q), DQ(B_i32)) ─► y ─► Q ─► DQ ─► MaxPool ─► m ─► Q ─► DQ
 *          (y takes r's range, Relu is gone; m's parameters are y's)
 * </pre>
 *
 * Why each piece:
 * <ul>
 *   <li>Every input and output tensor of a quantized node gets one Q/DQ pair, shared by all of its consumers;
 *       ONNX Runtime's QDQ fusions then see DQ ─► op ─► Q and run the integer kernel (QLinearConv, QLinearMatMul,
 *       QGemm, QLinearAdd...). A graph output keeps its float value.</li>
 *   <li>Relu/Clip(0, m) after Conv/MatMul/Gemm/Add is removed when activations are asymmetric: the producer's output
 *       is quantized with the activation's range, whose zero point is the type's minimum, so QuantizeLinear's
 *       saturation computes the ReLU (and the calibrated max bounds Clip's max).</li>
 *   <li>MaxPool, GlobalAveragePool, Reshape, Flatten, Transpose and unfused Relu/Clip give their output their
 *       input's parameters, so the DQ ─► op ─► Q around them is an exact no-op on the integers.</li>
 *   <li>Biases of Conv and Gemm become int32 with scale input_scale × weight_scale, the integer accumulator's
 *       scale, which QLinearConv requires.</li>
 * </ul>
 * Left in float, with a diagnostic: excluded nodes; Conv/Gemm whose weight is not a constant initializer (a graph
 * input can be overridden at run time, so it cannot be pre-quantized); nodes with a tensor that has no calibrated
 * range; Gemm with alpha or beta other than 1 keeps a float bias. Subgraphs are left alone: calibration only sees
 * the main graph's tensors. A model that already holds QuantizeLinear or DequantizeLinear is left unchanged.
 */
public final class InsertStaticQdq implements Pass {

    /** DequantizeLinear's axis attribute (per-channel) exists from opset 13. */
    public static final int MIN_OPSET = 13;

    private final CalibrationTable table;
    private final StaticQuantConfig config;

    public InsertStaticQdq(CalibrationTable table, StaticQuantConfig config) {
        this.table = table;
        this.config = config;
    }

    @Override
    public String name() {
        return "quantize-static-qdq";
    }

    @Override
    public String description() {
        return "static int8: QuantizeLinear/DequantizeLinear on calibrated activations, int8 weights, int32 biases";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.AGGRESSIVE;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        Graph g = model.graph();
        for (Node n : g) {
            if (n.opType().equals("QuantizeLinear") || n.opType().equals("DequantizeLinear")) {
                return new PassResult(0, List.of("the model is already quantized (it holds " + n.opType() + ")"));
            }
        }
        if (model.opsetVersion("") < MIN_OPSET) {
            throw new IllegalArgumentException("static quantization needs opset >= " + MIN_OPSET + " (per-channel "
                    + "DequantizeLinear); the model is opset " + model.opsetVersion("") + ": raise it first");
        }
        List<String> diagnostics = new ArrayList<>();
        Set<Node> selected = select(g, diagnostics);
        Map<Value, TensorRange> fusedRanges = new IdentityHashMap<>();
        int fused = config.symmetricActivations() ? 0 : foldActivations(g, selected, fusedRanges);
        Map<Value, Optional<QuantParams>> params = new IdentityHashMap<>();
        for (Node n : new ArrayList<>(selected)) {
            List<Value> tensors = new ArrayList<>();
            StaticQdqOps.activationInputs(n).forEach(i -> tensors.add(n.input(i)));
            tensors.add(n.output(0));
            for (Value v : tensors) {
                if (paramsOf(v, selected, fusedRanges, params).isEmpty()) {
                    diagnostics.add("left in float: " + n.opType() + " '" + n.name() + "' (no calibrated range for '"
                            + v.name() + "')");
                    selected.remove(n);
                    break;
                }
            }
        }
        QdqNodes qdq = new QdqNodes(g);
        Set<Value> activations = new LinkedHashSet<>();
        for (Node n : selected) {
            StaticQdqOps.activationInputs(n).forEach(i -> activations.add(n.input(i)));
            activations.add(n.output(0));
        }
        for (Value v : activations) {
            insertPair(g, qdq, v, paramsOf(v, selected, fusedRanges, params).orElseThrow());
        }
        Map<Value, Map<Integer, Value>> weightCache = new HashMap<>();
        for (Node n : selected) {
            quantizeWeight(g, qdq, n, weightCache, diagnostics);
            quantizeConstantOperands(g, qdq, n);
        }
        return new PassResult(selected.size() + fused, diagnostics);
    }

    private Set<Node> select(Graph g, List<String> diagnostics) {
        Set<Node> selected = new LinkedHashSet<>();
        for (Node n : g) {
            if (!StaticQdqOps.candidate(n) || n.outputCount() < 1 || n.output(0) == null) {
                continue;
            }
            if (config.excludes(n)) {
                diagnostics.add("excluded: " + n.opType() + " '" + n.name() + "'");
                continue;
            }
            if ((n.opType().equals("Conv") || n.opType().equals("Gemm")) && !isFloatConstant(n.input(1))) {
                diagnostics.add("left in float: " + n.opType() + " '" + n.name() + "' (weight '"
                        + n.input(1).name() + "' is not a constant float initializer)");
                continue;
            }
            if (n.opType().equals("Clip") && !constantOrAbsent(n, 1, 2)) {
                diagnostics.add("left in float: Clip '" + n.name() + "' (its bounds are not constants)");
                continue;
            }
            selected.add(n);
        }
        return selected;
    }

    private static boolean isFloatConstant(Value v) {
        return StaticQdqOps.isConstant(v) && v.constValue().dataType() == DataType.FLOAT;
    }

    private static boolean constantOrAbsent(Node n, int... slots) {
        for (int i : slots) {
            if (i < n.inputCount() && n.input(i) != null && !StaticQdqOps.isConstant(n.input(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Removes Relu and Clip(min=0) that directly follow a quantized Conv/MatMul/Gemm/Add whose output feeds nothing
     * else; the producer's output takes the activation's calibrated range. Returns how many were removed.
     */
    private int foldActivations(Graph g, Set<Node> selected, Map<Value, TensorRange> fusedRanges) {
        int fused = 0;
        for (Node n : new ArrayList<>(selected)) {
            if (!StaticQdqOps.FUSABLE_ACTIVATIONS.contains(n.opType()) || !clampsAtZero(n)) {
                continue;
            }
            Value in = n.input(0);
            Value out = n.output(0);
            Node producer = in.producer();
            Optional<TensorRange> range = table.range(out.name());
            if (producer == null || !selected.contains(producer)
                    || !StaticQdqOps.ACTIVATION_PRODUCERS.contains(producer.opType()) || in.uses().size() != 1
                    || in.isGraphOutput() || out.isGraphOutput() || range.isEmpty()) {
                continue;
            }
            fusedRanges.put(in, new TensorRange(0f, Math.max(0f, range.get().max())));
            out.replaceAllUsesWith(in);
            List<Value> bounds = new ArrayList<>(n.inputs().subList(1, n.inputCount()));
            g.remove(n);
            bounds.forEach(b -> {
                if (b != null) {
                    removeIfUnused(g, b);
                }
            });
            selected.remove(n);
            fused++;
        }
        return fused;
    }

    /** Relu, or Clip whose lower bound is the constant 0 (an upper bound is then bounded by the calibrated max). */
    private static boolean clampsAtZero(Node n) {
        if (n.opType().equals("Relu")) {
            return true;
        }
        if (n.inputCount() < 2 || n.input(1) == null) {
            return false;
        }
        float[] min = n.input(1).constValue().toFloatArray();
        return min.length == 1 && min[0] == 0f;
    }

    /** The parameters of one activation tensor; empty when it has no calibrated range. */
    private Optional<QuantParams> paramsOf(Value v, Set<Node> selected, Map<Value, TensorRange> fusedRanges,
                                           Map<Value, Optional<QuantParams>> cache) {
        Optional<QuantParams> known = cache.get(v);
        if (known != null) {
            return known;
        }
        Node producer = v.producer();
        Optional<QuantParams> p;
        if (producer != null && selected.contains(producer) && StaticQdqOps.SHARING.contains(producer.opType())) {
            p = paramsOf(producer.input(0), selected, fusedRanges, cache);
        } else {
            TensorRange r = fusedRanges.containsKey(v) ? fusedRanges.get(v) : table.range(v.name()).orElse(null);
            p = r == null ? Optional.empty() : Optional.of(QuantParams.forRange(r, config.activationType(),
                    config.symmetricActivations(), false));
        }
        cache.put(v, p);
        return p;
    }

    /** Q ─► DQ after the tensor's producer; every consumer reads the DQ output, a graph output stays float. */
    private static void insertPair(Graph g, QdqNodes qdq, Value v, QuantParams p) {
        List<Usage> uses = v.uses();
        if (uses.isEmpty()) {
            return; // only a graph output, which stays float: a pair would feed nothing
        }
        Value[] sp = qdq.scalarParams(v.name(), p);
        Node q = qdq.quantize(v, sp[0], sp[1], v.name());
        Node dq = qdq.dequantize(q.output(0), sp[0], sp[1], -1, v.name());
        if (v.producer() != null) {
            g.insertAfter(v.producer(), q);
        } else {
            g.insertBefore(g.firstNode(), q);
        }
        g.insertAfter(q, dq);
        for (Usage u : uses) {
            u.node().setInput(u.inputIndex(), dq.output(0));
        }
    }

    private void quantizeWeight(Graph g, QdqNodes qdq, Node n, Map<Value, Map<Integer, Value>> cache,
                                List<String> diagnostics) {
        int slot = StaticQdqOps.weightIndex(n);
        if (slot < 0 || !isFloatConstant(n.input(slot))) {
            return;
        }
        Value w = n.input(slot);
        int rank = w.constValue().rank();
        int axis = !config.perChannel() || rank < 2 ? -1 : switch (n.opType()) {
            case "Conv" -> 0;
            case "Gemm" -> attrInt(n, "transB", 0) == 1 ? 0 : 1;
            default -> rank - 1; // MatMul: output channels are the weight's last axis
        };
        WeightQuantizer quantizer = new WeightQuantizer(config.weightType(), config.symmetricWeights(),
                config.reduceRange());
        Map<Integer, Value> byAxis = cache.computeIfAbsent(w, k -> new HashMap<>());
        Value dqOut = byAxis.get(axis);
        if (dqOut == null) {
            QuantizedTensor qw = quantizer.quantize(w.constValue(), axis, w.name());
            Value[] inits = qdq.initializers(qw);
            Node dq = qdq.dequantize(inits[0], inits[1], inits[2], axis, w.name());
            g.insertBefore(g.firstNode(), dq);
            dqOut = dq.output(0);
            byAxis.put(axis, dqOut);
        }
        n.setInput(slot, dqOut);
        removeIfUnused(g, w);
        float[] weightScales = dqOut.producer().input(1).constValue().toFloatArray();
        quantizeBias(g, qdq, n, weightScales, diagnostics);
    }

    private void quantizeBias(Graph g, QdqNodes qdq, Node n, float[] weightScales, List<String> diagnostics) {
        if (n.inputCount() < 3 || n.input(2) == null || !isFloatConstant(n.input(2))) {
            return;
        }
        Value b = n.input(2);
        Tensor bias = b.constValue();
        if (n.opType().equals("Gemm") && (attrFloat(n, "alpha", 1f) != 1f || attrFloat(n, "beta", 1f) != 1f)) {
            diagnostics.add("float bias kept: Gemm '" + n.name() + "' has alpha or beta other than 1");
            return;
        }
        if (bias.rank() != 1 || (weightScales.length > 1 && bias.elementCount() != weightScales.length)) {
            diagnostics.add("float bias kept: '" + b.name() + "' of " + n.opType() + " '" + n.name()
                    + "' is not one value per output channel");
            return;
        }
        // The input now comes from its DequantizeLinear; its scale initializer is the input scale.
        float inputScale = n.input(0).producer().input(1).constValue().toFloatArray()[0];
        QuantizedTensor qb = WeightQuantizer.quantizeBias(bias, inputScale, weightScales, b.name());
        Value[] inits = qdq.initializers(qb);
        Node dq = qdq.dequantize(inits[0], inits[1], inits[2], qb.axis(), b.name());
        g.insertBefore(n, dq);
        n.setInput(2, dq.output(0));
        removeIfUnused(g, b);
    }

    /** Constant operands of Add/Mul/Concat: per-tensor parameters of the activation type from their own values. */
    private void quantizeConstantOperands(Graph g, QdqNodes qdq, Node n) {
        for (int slot : StaticQdqOps.constantOperands(n)) {
            Value c = n.input(slot);
            if (c.constValue().dataType() != DataType.FLOAT) {
                continue;
            }
            WeightQuantizer quantizer = new WeightQuantizer(config.activationType(), config.symmetricActivations(),
                    false);
            Value[] inits = qdq.initializers(quantizer.quantize(c.constValue(), -1, c.name()));
            Node dq = qdq.dequantize(inits[0], inits[1], inits[2], -1, c.name());
            g.insertBefore(n, dq);
            n.setInput(slot, dq.output(0));
            removeIfUnused(g, c);
        }
    }

    private static void removeIfUnused(Graph g, Value v) {
        if (!v.hasUses() && !v.isGraphOutput() && !v.isGraphInput() && v.isInitializer()) {
            g.removeInitializer(v.name());
        }
    }

    private static long attrInt(Node n, String name, long dflt) {
        return n.attribute(name).map(Attribute::asInt).orElse(dflt);
    }

    private static float attrFloat(Node n, String name, float dflt) {
        return n.attribute(name).map(Attribute::asFloat).orElse(dflt);
    }
}
