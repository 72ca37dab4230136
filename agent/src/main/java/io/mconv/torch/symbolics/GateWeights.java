package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns torch's per-direction recurrent weights into the W, R and B inputs of one ONNX LSTM/GRU/RNN node: the gate
 * blocks reordered to ONNX's order, biases joined as {@code concat(b_ih, b_hh)}, directions stacked on a new first
 * axis. Weights are nearly always initializers; then the new tensors are computed here, byte by byte (so any float
 * type works), and the graph only gains the result. Weights computed at run time get Split/Concat/Unsqueeze nodes
 * instead.
 */
final class GateWeights {

    private final SymbolicContext ctx;
    private final RecurrentKind kind;
    private final long hidden;
    private final DataType type;

    GateWeights(SymbolicContext ctx, RecurrentKind kind, long hidden, DataType type) {
        this.ctx = ctx;
        this.kind = kind;
        this.hidden = hidden;
        this.type = type;
    }

    /** W or R: {@code [directions, gates*hidden, k]} from each direction's {@code [gates*hidden, k]} matrix. */
    Value matrices(List<Value> perDirection, String name) {
        perDirection.forEach(this::checkRows);
        if (allConstant(perDirection)) {
            List<Tensor> reordered = new ArrayList<>();
            for (Value v : perDirection) {
                reordered.add(reorder(v.constValue()));
            }
            return ctx.constant(stack(reordered, name));
        }
        List<Value> reordered = new ArrayList<>();
        for (Value v : perDirection) {
            reordered.add(reorderNodes(v));
        }
        return stackNodes(reordered);
    }

    /**
     * B: {@code [directions, 2*gates*hidden]}, each row {@code concat(b_ih, b_hh)}. A missing bias (null) counts
     * as zeros, as torch treats it; when every bias is missing the result is null, so the node omits B.
     */
    Value biases(List<Value> inputBiases, List<Value> recurrentBiases, String name) {
        List<Value> all = new ArrayList<>(inputBiases);
        all.addAll(recurrentBiases);
        if (all.stream().allMatch(Objects::isNull)) {
            return null;
        }
        all.stream().filter(Objects::nonNull).forEach(this::checkRows);
        if (allConstant(all)) {
            List<Tensor> rows = new ArrayList<>();
            for (int d = 0; d < inputBiases.size(); d++) {
                rows.add(concat(List.of(biasTensor(inputBiases.get(d)), biasTensor(recurrentBiases.get(d))), name));
            }
            return ctx.constant(stack(rows, name));
        }
        List<Value> rows = new ArrayList<>();
        for (int d = 0; d < inputBiases.size(); d++) {
            rows.add(ctx.op("Concat", List.of(biasNodes(inputBiases.get(d)), biasNodes(recurrentBiases.get(d))),
                    Attribute.ofInt("axis", 0)));
        }
        return stackNodes(rows);
    }

    private long rows() {
        return kind.gates() * hidden;
    }

    private void checkRows(Value v) {
        Shape s = ctx.shapeOrNull(v);
        if (s != null && s.rank() >= 1 && s.dim(0).isKnown() && s.dim(0).value() != rows()) {
            throw new SymbolicException("recurrent weight '" + v.name() + "' has " + s.dim(0).value() + " rows where "
                    + kind.gates() + " gates of " + hidden + " units need " + rows());
        }
    }

    private static boolean allConstant(List<Value> values) {
        return values.stream().allMatch(v -> v == null || v.constValue() != null);
    }

    // ---- folded at export time ---------------------------------------------------------------------------------

    private Tensor biasTensor(Value v) {
        if (v == null) {
            long[] dims = {rows()};
            return Tensor.ofRaw("zero_bias", type, dims, ByteBuffer.allocate((int) type.byteSize(rows())));
        }
        return reorder(v.constValue());
    }

    /** The tensor with its first axis' gate blocks in ONNX's order. */
    private Tensor reorder(Tensor t) {
        if (!kind.reordersGates()) {
            return t;
        }
        int blockBytes = Math.toIntExact(t.byteSize() / kind.gates());
        ByteBuffer src = t.rawBytes();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(t.byteSize()));
        byte[] block = new byte[blockBytes];
        for (int g = 0; g < kind.gates(); g++) {
            src.get(kind.torchGate(g) * blockBytes, block, 0, blockBytes);
            out.put(block);
        }
        out.flip();
        return Tensor.ofRaw(t.name(), t.dataType(), t.dims(), out);
    }

    /** Tensors of equal dims joined on a new first axis. */
    private static Tensor stack(List<Tensor> parts, String name) {
        Tensor joined = concat(parts, name);
        long[] dims = new long[parts.get(0).rank() + 1];
        dims[0] = parts.size();
        System.arraycopy(parts.get(0).dims(), 0, dims, 1, dims.length - 1);
        return joined.reshaped(dims);
    }

    /** Tensors joined along their first axis. */
    private static Tensor concat(List<Tensor> parts, String name) {
        DataType type = parts.get(0).dataType();
        long first = 0;
        long bytes = 0;
        for (Tensor p : parts) {
            if (p.dataType() != type || !Arrays.equals(tail(p.dims()), tail(parts.get(0).dims()))) {
                throw new SymbolicException("recurrent weights of different types or shapes: " + type + " "
                        + Arrays.toString(parts.get(0).dims()) + " and " + p.dataType() + " "
                        + Arrays.toString(p.dims()));
            }
            first += p.dims()[0];
            bytes += p.byteSize();
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(bytes));
        for (Tensor p : parts) {
            out.put(p.rawBytes());
        }
        out.flip();
        long[] dims = parts.get(0).dims();
        dims[0] = first;
        return Tensor.ofRaw(name, type, dims, out);
    }

    private static long[] tail(long[] dims) {
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    // ---- computed at run time ----------------------------------------------------------------------------------

    private Value biasNodes(Value v) {
        return v == null ? ctx.constant(biasTensor(null)) : reorderNodes(v);
    }

    private Value reorderNodes(Value v) {
        if (!kind.reordersGates()) {
            return v;
        }
        long[] sizes = new long[kind.gates()];
        Arrays.fill(sizes, hidden);
        List<Value> blocks = ctx.ops("Split", kind.gates(), List.of(v, ctx.longs(sizes)), Attribute.ofInt("axis", 0));
        List<Value> ordered = new ArrayList<>();
        for (int g = 0; g < kind.gates(); g++) {
            ordered.add(blocks.get(kind.torchGate(g)));
        }
        return ctx.op("Concat", ordered, Attribute.ofInt("axis", 0));
    }

    private Value stackNodes(List<Value> parts) {
        List<Value> lifted = new ArrayList<>();
        for (Value p : parts) {
            lifted.add(ctx.op("Unsqueeze", List.of(p, ctx.longs(0))));
        }
        return lifted.size() == 1 ? lifted.get(0) : ctx.op("Concat", lifted, Attribute.ofInt("axis", 0));
    }
}
