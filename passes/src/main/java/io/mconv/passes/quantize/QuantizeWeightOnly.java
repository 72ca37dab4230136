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
import io.mconv.passes.ort.ContribSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * quantize-weight-only: block-wise 4- or 8-bit weights for MatMul with a constant float [K, N] weight; activations
 * stay float.
 *
 * <pre>
 * Before:  A[..., K] ─► MatMul(A, W[K,N]) ─► y
 * After (--target ort):
 *          A ─► com.microsoft::MatMulNBits(A, B_packed[N, K/bs, bs·bits/8] uint8, scales[N·K/bs] [, zero_points])
 *               {K, N, bits, block_size} ─► y
 * After (portable, opset ≥ 21):
 *          W_q[K,N] int4|uint4|int8|uint8 ─► DequantizeLinear(W_q, scale[K/bs, N] [, zp[K/bs, N]]; axis 0,
 *               block_size bs) ─► W' ;  MatMul(A, W') ─► y
 * </pre>
 *
 * Each column of W is cut along K into blocks of {@code block_size} rows, each with its own scale (and zero point
 * when asymmetric). MatMulNBits (ONNX Runtime contrib spec) stores codes unsigned, packed along K low bits first,
 * column by column, K padded to whole blocks; its zero points are packed the same way per column (absent: the
 * midpoint 2^(bits-1), which is what symmetric quantization uses). The portable form keeps the MatMul and states
 * the same arithmetic with DequantizeLinear-21's blocked quantization (signed codes when symmetric, unsigned with
 * zero points otherwise). Refuses: excluded nodes, weights that are not constant 2-D float initializers, K smaller
 * than one block would be pointless but is allowed (one short block), a graph whose opset is below 21 for the
 * portable form. Weights already behind a DequantizeLinear, and MatMulNBits nodes, are not MatMuls with constant
 * weights, so a second run changes nothing. Subgraphs are handled like the main graph.
 */
public final class QuantizeWeightOnly implements Pass {

    private static final int PORTABLE_OPSET = 21;

    private final WeightOnlyConfig config;

    public QuantizeWeightOnly(WeightOnlyConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "quantize-weight-only";
    }

    @Override
    public String description() {
        return config.bits() + "-bit block-wise MatMul weights (" + (config.contribOp() ? "MatMulNBits"
                : "DequantizeLinear-21") + ")";
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
        boolean hasMatMul = g.nodes().stream().anyMatch(n -> n.opType().equals("MatMul"));
        if (!hasMatMul) {
            return 0;
        }
        int opset = g.opsetVersion("");
        if (!config.contribOp() && opset >= 0 && opset < PORTABLE_OPSET) {
            notes.add("graph '" + g.name() + "': opset " + opset + " is below " + PORTABLE_OPSET + ", which blocked "
                    + "DequantizeLinear needs; nothing quantized (raise the opset, or use --target ort)");
            return 0;
        }
        if (config.contribOp() && g.model() == null && g.opsetVersion(ContribSchemas.DOMAIN) < 0) {
            notes.add("graph '" + g.name() + "' cannot import " + ContribSchemas.DOMAIN + "; left alone");
            return 0;
        }
        Map<String, Value> done = new HashMap<>();
        int rewrites = 0;
        for (Node node : g.nodes()) {
            if (!node.opType().equals("MatMul")) {
                continue;
            }
            if (config.exclusions().excludes(node)) {
                notes.add(node.name() + ": excluded");
                continue;
            }
            LinearCandidate.Inspection ins = LinearCandidate.inspect(node, false);
            if (ins.candidate() == null) {
                if (!QuantizeDynamic.alreadyQuantized(node)) {
                    notes.add(node.name() + " (MatMul): " + ins.refusal());
                }
                continue;
            }
            LinearCandidate c = ins.candidate();
            NodeInserter at = new NodeInserter(g, node);
            if (config.contribOp()) {
                ContribSchemas.ensureImport(g);
                rewriteMatMulNBits(g, at, c);
            } else {
                Value restored = done.computeIfAbsent(c.weight().name(), k -> blockDequantized(at, c));
                node.setInput(1, restored);
            }
            NodeInserter.dropIfUnused(g, c.weight());
            rewrites++;
        }
        return rewrites;
    }

    private BlockQuantizer.BlockQuantized quantize(LinearCandidate c, boolean unsignedCodes) {
        DataType type = config.bits() == 4 ? (unsignedCodes ? DataType.UINT4 : DataType.INT4)
                : (unsignedCodes ? DataType.UINT8 : DataType.INT8);
        return new BlockQuantizer(QuantRange.of(type, config.symmetric(), false), config.symmetric(),
                config.blockSize()).quantize(c.matrix());
    }

    private void rewriteMatMulNBits(Graph g, NodeInserter at, LinearCandidate c) {
        BlockQuantizer.BlockQuantized q = quantize(c, true);
        int bits = config.bits();
        int blob = config.blockSize() * bits / 8;
        byte[] packed = new byte[q.n() * q.blocks() * blob];
        float[] scales = new float[q.n() * q.blocks()];
        int zpBytesPerColumn = (q.blocks() * bits + 7) / 8;
        byte[] zeroPoints = new byte[q.n() * zpBytesPerColumn];
        for (int n = 0; n < q.n(); n++) {
            for (int b = 0; b < q.blocks(); b++) {
                ScaleZeroPoint p = q.params()[b * q.n() + n];
                scales[n * q.blocks() + b] = p.scale();
                putCode(zeroPoints, n * zpBytesPerColumn * 8 / bits + b, p.zeroPoint(), bits);
                int base = (n * q.blocks() + b) * blob;
                for (int i = 0; i < config.blockSize(); i++) {
                    int k = b * config.blockSize() + i;
                    int code = k < q.k() ? q.codes()[k * q.n() + n] : p.zeroPoint();
                    putCode(packed, base * 8 / bits + i, code, bits);
                }
            }
        }
        String name = c.weight().name();
        List<Value> inputs = new ArrayList<>(List.of(c.activation(),
                at.initializer(IntegerTensors.ofBytes(name + "_nbits", new long[] {q.n(), q.blocks(), blob}, packed)),
                at.initializer(Tensor.ofFloats(name + "_scales", new long[] {(long) q.n() * q.blocks()}, scales))));
        if (!config.symmetric()) {
            inputs.add(at.initializer(IntegerTensors.ofBytes(name + "_zero_points",
                    new long[] {zeroPoints.length}, zeroPoints)));
        }
        Value y = c.node().output(0);
        Value out = at.node(ContribSchemas.DOMAIN, "MatMulNBits", y.name(), inputs, List.of(
                Attribute.ofInt("K", q.k()), Attribute.ofInt("N", q.n()), Attribute.ofInt("bits", bits),
                Attribute.ofInt("block_size", config.blockSize())), java.util.Collections.singletonList(y.type()))
                .get(0);
        NodeInserter.takeOver(g, c.node(), y, out);
    }

    /** Writes code number {@code index} of {@code bits} bits into a little-end-first packed byte array. */
    private static void putCode(byte[] into, int index, int code, int bits) {
        if (bits == 8) {
            into[index] = (byte) code;
            return;
        }
        int shift = (index % 2) * 4;
        into[index / 2] = (byte) ((into[index / 2] & ~(0xf << shift)) | ((code & 0xf) << shift));
    }

    private Value blockDequantized(NodeInserter at, LinearCandidate c) {
        boolean unsignedCodes = !config.symmetric();
        BlockQuantizer.BlockQuantized q = quantize(c, unsignedCodes);
        DataType type = config.bits() == 4 ? (unsignedCodes ? DataType.UINT4 : DataType.INT4)
                : (unsignedCodes ? DataType.UINT8 : DataType.INT8);
        String name = c.weight().name();
        float[] scales = new float[q.params().length];
        int[] zps = new int[q.params().length];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = q.params()[i].scale();
            zps[i] = q.params()[i].zeroPoint();
        }
        long[] paramDims = {q.blocks(), q.n()};
        List<Value> inputs = new ArrayList<>(List.of(
                at.initializer(IntegerTensors.of(name + "_quantized", type, new long[] {q.k(), q.n()}, q.codes())),
                at.initializer(Tensor.ofFloats(name + "_scale", paramDims, scales))));
        if (unsignedCodes) {
            inputs.add(at.initializer(IntegerTensors.of(name + "_zero_point", type, paramDims, zps)));
        }
        return at.node("DequantizeLinear", name + "_dq", inputs, List.of(Attribute.ofInt("axis", 0),
                        Attribute.ofInt("block_size", config.blockSize())),
                NodeInserter.tensorType(DataType.FLOAT, Shape.of(q.k(), q.n())));
    }
}
