package io.mconv.passes.quantize.calibrated;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;

import java.nio.ByteBuffer;

/** Builds QuantizeLinear/DequantizeLinear nodes and their scale/zero-point initializers in one graph. */
final class QdqNodes {

    private final Graph graph;

    QdqNodes(Graph graph) {
        this.graph = graph;
    }

    /** A scalar float scale and 8-bit zero point for per-tensor parameters, as initializers. */
    Value[] scalarParams(String base, QuantParams p) {
        Value scale = graph.addInitializer(Tensor.ofFloats(graph.uniqueName(base + "_scale"), new long[0],
                p.scale()));
        ByteBuffer b = ByteBuffer.allocate(1).put(p.type().toByte(p.zeroPoint()));
        b.flip();
        Value zp = graph.addInitializer(Tensor.ofRaw(graph.uniqueName(base + "_zero_point"), p.type().dataType(),
                new long[0], b));
        return new Value[] {scale, zp};
    }

    /** Adds a quantized constant (data, scale, zero point) as initializers with unique names. */
    Value[] initializers(QuantizedTensor q) {
        Value data = graph.addInitializer(q.data().withName(graph.uniqueName(q.data().name())));
        Value scale = graph.addInitializer(q.scale().withName(graph.uniqueName(q.scale().name())));
        Value zp = graph.addInitializer(q.zeroPoint().withName(graph.uniqueName(q.zeroPoint().name())));
        return new Value[] {data, scale, zp};
    }

    /** A QuantizeLinear node, not yet in the graph, whose output is of the zero point's type. */
    Node quantize(Value x, Value scale, Value zeroPoint, String base) {
        Node q = new Node("", "QuantizeLinear", graph.uniqueName(base + "_QuantizeLinear"));
        q.addInput(x);
        q.addInput(scale);
        q.addInput(zeroPoint);
        q.addOutput(new Value(graph.uniqueName(base + "_quantized"),
                new ValueType.TensorType(zeroPoint.elemType(), x.shape())));
        return q;
    }

    /** A DequantizeLinear node, not yet in the graph; {@code axis} is set for per-channel parameters. */
    Node dequantize(Value q, Value scale, Value zeroPoint, int axis, String base) {
        Node dq = new Node("", "DequantizeLinear", graph.uniqueName(base + "_DequantizeLinear"));
        dq.addInput(q);
        dq.addInput(scale);
        dq.addInput(zeroPoint);
        if (axis >= 0) {
            dq.setAttribute(Attribute.ofInt("axis", axis));
        }
        dq.addOutput(new Value(graph.uniqueName(base + "_dequantized"),
                new ValueType.TensorType(DataType.FLOAT, q.shape())));
        return dq;
    }
}
