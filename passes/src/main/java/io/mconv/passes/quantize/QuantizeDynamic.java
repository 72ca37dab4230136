package io.mconv.passes.quantize;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * quantize-dynamic: int8 weights stored in the file, activations quantized at run time, for MatMul and Gemm with a
 * constant float weight; and int8 embedding tables for Gather (as ONNX Runtime's quantize_dynamic does), which hold
 * most of a small transformer's bytes.
 *
 * <pre>
 * Before:  A ─► MatMul(A, W[K,N]) ─► y                    (or Gemm(A, W, C; alpha, beta, transB))
 * After (qoperator):
 *          A ─► DynamicQuantizeLinear ─► a_q, a_scale, a_zp
 *          MatMulInteger(a_q, W_q, a_zp, W_zp) ─► Cast(float) ─► Mul(·, Mul(a_scale, W_scale·alpha)) [─► Add(·, beta·C)] ─► y
 * After (qdq):
 *          A ─► DynamicQuantizeLinear ─► DequantizeLinear ─► a'        W_q ─► DequantizeLinear(axis) ─► W'
 *          MatMul(a', W') ─► y                              (Gemm keeps its attributes and C)
 * Gather:  Gather(T[V,H], ids) ─► e    becomes    T_q ─► DequantizeLinear (per tensor) ─► Gather(·, ids) ─► e
 * </pre>
 *
 * Correct up to rounding: DequantizeLinear(DynamicQuantizeLinear(A)) is A on a 256-step grid covering A's range, W_q
 * is W on a grid of its own range, and the integer product of the codes times both scales is the product of the
 * dequantized values (MatMulInteger subtracts the zero points exactly, in int32). Per-channel weights have one scale
 * and zero point per output column N: MatMulInteger takes a 1-D [N] b_zero_point, and DequantizeLinear takes the
 * axis of N in the weight as stored (1 for MatMul's [K,N], 0 for a Gemm with transB = 1, whose weight is [N,K]).
 * One DynamicQuantizeLinear serves every quantized consumer of the same activation, and a weight read by several
 * nodes is quantized once; the float original stays while a node that was not quantized still reads it.
 * Refuses (with a diagnostic): excluded nodes, non-constant or non-float or non-2-D weights, Gemm with transA, a
 * Gemm whose C is computed and scaled by beta ≠ 1, and opsets below 11 (DynamicQuantizeLinear) or below 13 for
 * per-channel QDQ (DequantizeLinear's axis). A node whose weight is already the output of a DequantizeLinear is
 * already quantized and left alone silently, which makes the pass idempotent. Subgraphs are rewritten like the
 * main graph when their opset allows.
 */
public final class QuantizeDynamic implements Pass {

    private final DynamicQuantConfig config;

    public QuantizeDynamic(DynamicQuantConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "quantize-dynamic";
    }

    @Override
    public String description() {
        return "int8 weights and run-time quantized activations for MatMul and Gemm (" + config.format() + ")";
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
        boolean hasCandidates = g.nodes().stream().anyMatch(n -> n.opType().equals("MatMul")
                || n.opType().equals("Gemm"));
        if (opset >= 0 && opset < needed) {
            if (hasCandidates) {
                notes.add("graph '" + g.name() + "': opset " + opset + " is below " + needed + ", which "
                        + config.format() + (config.perChannel() ? " per-channel" : "")
                        + " dynamic quantization needs; nothing quantized (raise the opset first)");
            }
            return 0;
        }
        Map<Value, List<Value>> quantizedActivations = new HashMap<>();
        Map<String, QuantizedWeight> quantizedWeights = new HashMap<>();
        int rewrites = 0;
        for (Node node : g.nodes()) {
            if (node.opType().equals("Gather") && node.isDefaultDomain() && !config.exclusions().excludes(node)
                    && quantizableTable(node)) {
                Value table = node.input(0);
                Value restored = quantizedWeights.computeIfAbsent("gather/" + table.name(),
                        k -> quantizeTable(new NodeInserter(g, node), table)).restored();
                node.setInput(0, restored);
                NodeInserter.dropIfUnused(g, table);
                rewrites++;
                continue;
            }
            if (!node.opType().equals("MatMul") && !node.opType().equals("Gemm")) {
                continue;
            }
            if (config.exclusions().excludes(node)) {
                notes.add(node.name() + ": excluded");
                continue;
            }
            LinearCandidate.Inspection ins = LinearCandidate.inspect(node, true);
            if (ins.candidate() == null) {
                if (!alreadyQuantized(node)) {
                    notes.add(node.name() + " (" + node.opType() + "): " + ins.refusal());
                }
                continue;
            }
            LinearCandidate c = ins.candidate();
            NodeInserter at = new NodeInserter(g, node);
            List<Value> aq = quantizedActivations.computeIfAbsent(c.activation(), a -> quantizeActivation(at, a));
            QuantizedWeight w = quantizedWeights.computeIfAbsent(c.weight().name() + "/" + c.transposed(),
                    k -> quantizeWeight(at, c));
            if (config.format() == QuantFormat.QOPERATOR) {
                rewriteQOperator(g, at, c, aq, w);
            } else {
                rewriteQdq(at, c, aq, w);
            }
            NodeInserter.dropIfUnused(g, c.weight());
            rewrites++;
        }
        return rewrites;
    }

    /** A Gather reading rows of a constant float table (an embedding), the bulk of a transformer's weights. */
    private static boolean quantizableTable(Node gather) {
        Value table = gather.input(0);
        Tensor t = table.constValue();
        return t != null && table.isInitializer() && !table.isGraphInput() && t.dataType() == DataType.FLOAT
                && t.rank() >= 1 && t.elementCount() > 0;
    }

    /**
     * An embedding table as codes with one scale (per tensor: the rows Gather picks are any rows, so one range
     * serves all) and a DequantizeLinear in front of the Gather. ONNX Runtime constant-folds nothing here (the codes
     * are an initializer, DequantizeLinear is kept), so the file stays small and the table is restored at load.
     */
    private QuantizedWeight quantizeTable(NodeInserter at, Value table) {
        Tensor t = table.constValue();
        QuantRange range = QuantRange.of(config.weightType(), config.symmetric(), false);
        WeightMatrix flat = new WeightMatrix(1, (int) t.elementCount(), t.toFloatArray());
        ChannelQuantizer.QuantizedMatrix q = new ChannelQuantizer(range, config.symmetric()).quantize(flat, false);
        String base = table.name();
        Value codes = at.initializer(IntegerTensors.of(base + "_quantized", config.weightType(), t.dims(), q.codes()));
        Value scale = at.initializer(Tensor.ofFloats(base + "_scale", new long[0], q.scales()));
        Value zp = zeroPointsAreDefault(q.zeroPoints()) ? null
                : at.initializer(IntegerTensors.of(base + "_zero_point", config.weightType(), new long[0],
                        q.zeroPoints()));
        Value restored = at.node("DequantizeLinear", base + "_dq", withOptional(List.of(codes, scale), zp), List.of(),
                NodeInserter.tensorType(DataType.FLOAT, Shape.of(t.dims())));
        return new QuantizedWeight(codes, scale, zp, restored);
    }

    /**
     * Symmetric int8 zero points are all 0, which is what MatMulInteger and DequantizeLinear assume when the
     * (trailing) zero-point input is absent; leaving it out saves an initializer per weight. A uint8 weight needs
     * its zero point: absent, the type of the codes would still say uint8, but the default would be 0, not 128.
     */
    private boolean zeroPointsAreDefault(int[] zeroPoints) {
        return zeroPointsAreDefault(config.weightType(), zeroPoints);
    }

    static boolean zeroPointsAreDefault(DataType weightType, int[] zeroPoints) {
        if (weightType != DataType.INT8) {
            return false;
        }
        for (int z : zeroPoints) {
            if (z != 0) {
                return false;
            }
        }
        return true;
    }

    static List<Value> withOptional(List<Value> inputs, Value optional) {
        if (optional == null) {
            return inputs;
        }
        List<Value> all = new ArrayList<>(inputs);
        all.add(optional);
        return all;
    }

    static boolean alreadyQuantized(Node node) {
        Node producer = node.inputCount() > 1 ? node.input(1).producer() : null;
        return producer != null && producer.opType().equals("DequantizeLinear");
    }

    /** DynamicQuantizeLinear outputs (a_q, a_scale, a_zp), plus the dequantized a' in QDQ form. */
    private List<Value> quantizeActivation(NodeInserter at, Value a) {
        return quantizeActivation(at, a, config.format());
    }

    /** Shared with the Conv pass, which quantizes its activations the same way. */
    static List<Value> quantizeActivation(NodeInserter at, Value a, QuantFormat format) {
        List<Value> q = new ArrayList<>(at.node("", "DynamicQuantizeLinear", a.name() + "_dyn", List.of(a), List.of(),
                List.of(NodeInserter.tensorType(DataType.UINT8, a.shape()),
                        NodeInserter.tensorType(DataType.FLOAT, Shape.of()),
                        NodeInserter.tensorType(DataType.UINT8, Shape.of()))));
        if (format == QuantFormat.QDQ) {
            q.add(at.node("DequantizeLinear", a.name() + "_dyn", List.copyOf(q), List.of(),
                    NodeInserter.tensorType(DataType.FLOAT, a.shape())));
        }
        return q;
    }

    /** The quantized weight as initializers; in QDQ form also the DequantizeLinear that restores it. */
    private QuantizedWeight quantizeWeight(NodeInserter at, LinearCandidate c) {
        QuantRange range = QuantRange.of(config.weightType(), config.symmetric(), config.reduceRange());
        WeightMatrix m = c.matrix();
        ChannelQuantizer.QuantizedMatrix q = new ChannelQuantizer(range, config.symmetric())
                .quantize(m, config.perChannel());
        long[] paramDims = config.perChannel() ? new long[] {m.cols()} : new long[0];
        String base = c.weight().name();
        Value zp = zeroPointsAreDefault(q.zeroPoints()) ? null
                : at.initializer(IntegerTensors.of(base + "_zero_point", config.weightType(), paramDims, q.zeroPoints()));
        if (config.format() == QuantFormat.QOPERATOR) {
            Value codes = at.initializer(IntegerTensors.of(base + "_quantized", config.weightType(),
                    new long[] {m.rows(), m.cols()}, q.codes()));
            float[] scales = q.scales();
            for (int i = 0; i < scales.length; i++) {
                scales[i] *= c.alpha();
            }
            Value scale = at.initializer(Tensor.ofFloats(base + "_scale", paramDims, scales));
            return new QuantizedWeight(codes, scale, zp, null);
        }
        long[] stored = c.weight().constValue().dims();
        int[] codes = c.transposed() ? transpose(q.codes(), m.rows(), m.cols()) : q.codes();
        Value codesValue = at.initializer(IntegerTensors.of(base + "_quantized", config.weightType(), stored, codes));
        Value scale = at.initializer(Tensor.ofFloats(base + "_scale", paramDims, q.scales()));
        List<Attribute> axis = config.perChannel()
                ? List.of(Attribute.ofInt("axis", c.transposed() ? 0 : 1)) : List.of();
        Value restored = at.node("DequantizeLinear", base + "_dq", withOptional(List.of(codesValue, scale), zp), axis,
                NodeInserter.tensorType(DataType.FLOAT, Shape.of(stored)));
        return new QuantizedWeight(codesValue, scale, zp, restored);
    }

    private static int[] transpose(int[] kn, int k, int n) {
        int[] out = new int[kn.length];
        for (int r = 0; r < k; r++) {
            for (int col = 0; col < n; col++) {
                out[col * k + r] = kn[r * n + col];
            }
        }
        return out;
    }

    private void rewriteQOperator(Graph g, NodeInserter at, LinearCandidate c, List<Value> aq, QuantizedWeight w) {
        Node node = c.node();
        Value y = node.output(0);
        String base = y.name();
        Shape shape = y.shape();
        Value product = at.node("MatMulInteger", base, withOptional(List.of(aq.get(0), w.codes(), aq.get(2)),
                        w.zeroPoint()),
                List.of(), NodeInserter.tensorType(DataType.INT32, shape));
        Value asFloat = at.node("Cast", base, List.of(product), List.of(Attribute.ofInt("to", DataType.FLOAT.code())),
                NodeInserter.tensorType(DataType.FLOAT, shape));
        Value scale = at.node("Mul", base + "_scale", List.of(aq.get(1), w.scale()), List.of(), null);
        Value result = at.node("Mul", base, List.of(asFloat, scale), List.of(),
                NodeInserter.tensorType(DataType.FLOAT, shape));
        if (c.bias() != null) {
            Tensor constant = c.scaledBias(base + "_bias");
            Value bias = constant != null ? at.initializer(constant) : c.bias();
            result = at.node("Add", base, List.of(result, bias), List.of(),
                    NodeInserter.tensorType(DataType.FLOAT, shape));
        }
        Value oldBias = c.bias();
        NodeInserter.takeOver(g, node, y, result);
        if (oldBias != null && oldBias.constValue() != null && c.beta() != 1f) {
            NodeInserter.dropIfUnused(g, oldBias);
        }
    }

    private static void rewriteQdq(NodeInserter at, LinearCandidate c, List<Value> aq, QuantizedWeight w) {
        c.node().setInput(0, aq.get(3));
        c.node().setInput(1, w.restored());
    }

    /** A weight's quantized form; {@code restored} is its DequantizeLinear output (QDQ form only). */
    private record QuantizedWeight(Value codes, Value scale, Value zeroPoint, Value restored) {
    }
}
