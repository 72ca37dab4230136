package io.mconv.conformance;

import io.mconv.onnx.proto.Onnx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two ModelProtos for meaning rather than bytes: the same nodes (op, domain, inputs, outputs, attributes,
 * subgraphs), the same initializers by name and decoded content, the same inputs and outputs with their types.
 * Encoding choices that the IR normalizes (typed data fields vs raw_data, value_info order, empty-but-present
 * fields) are not differences. Returns null when equal, else the first difference found.
 */
final class SemanticDiff {

    private SemanticDiff() {
    }

    static String diff(Onnx.ModelProto a, Onnx.ModelProto b) {
        if (a.getIrVersion() != b.getIrVersion()) {
            return "ir_version " + a.getIrVersion() + " vs " + b.getIrVersion();
        }
        if (!opsets(a).equals(opsets(b))) {
            return "opset imports differ";
        }
        if (!a.getMetadataPropsList().equals(b.getMetadataPropsList())) {
            return "metadata differs";
        }
        if (a.getFunctionsCount() != b.getFunctionsCount()) {
            return "function count differs";
        }
        return graph(a.getGraph(), b.getGraph(), "main graph");
    }

    private static List<String> opsets(Onnx.ModelProto m) {
        return m.getOpsetImportList().stream().map(o -> o.getDomain() + ":" + o.getVersion()).toList();
    }

    private static String graph(Onnx.GraphProto a, Onnx.GraphProto b, String where) {
        if (a.getNodeCount() != b.getNodeCount()) {
            return where + ": " + a.getNodeCount() + " nodes vs " + b.getNodeCount();
        }
        for (int i = 0; i < a.getNodeCount(); i++) {
            String d = node(a.getNode(i), b.getNode(i), where + " node " + i);
            if (d != null) {
                return d;
            }
        }
        if (!names(a.getInputList()).equals(names(b.getInputList()))
                || !names(a.getOutputList()).equals(names(b.getOutputList()))) {
            return where + ": inputs or outputs differ";
        }
        for (int i = 0; i < a.getInputCount(); i++) {
            if (!a.getInput(i).getType().equals(b.getInput(i).getType())) {
                return where + ": type of input " + a.getInput(i).getName() + " differs";
            }
        }
        for (int i = 0; i < a.getOutputCount(); i++) {
            if (a.getOutput(i).hasType() && !a.getOutput(i).getType().equals(b.getOutput(i).getType())) {
                return where + ": type of output " + a.getOutput(i).getName() + " differs";
            }
        }
        if (a.getInitializerCount() != b.getInitializerCount()) {
            return where + ": initializer count differs";
        }
        Map<String, Onnx.TensorProto> bInit = new HashMap<>();
        for (Onnx.TensorProto t : b.getInitializerList()) {
            bInit.put(t.getName(), t);
        }
        for (Onnx.TensorProto t : a.getInitializerList()) {
            String d = tensor(t, bInit.get(t.getName()), where + " initializer " + t.getName());
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    private static List<String> names(List<Onnx.ValueInfoProto> infos) {
        return infos.stream().map(Onnx.ValueInfoProto::getName).toList();
    }

    private static String node(Onnx.NodeProto a, Onnx.NodeProto b, String where) {
        if (!a.getOpType().equals(b.getOpType()) || !a.getDomain().equals(b.getDomain())
                || !a.getInputList().equals(b.getInputList()) || !a.getOutputList().equals(b.getOutputList())
                || !a.getName().equals(b.getName())) {
            return where + ": " + a.getOpType() + " vs " + b.getOpType() + " (op, domain, name or edges differ)";
        }
        if (a.getAttributeCount() != b.getAttributeCount()) {
            return where + ": attribute count differs";
        }
        for (int i = 0; i < a.getAttributeCount(); i++) {
            Onnx.AttributeProto x = a.getAttribute(i);
            Onnx.AttributeProto y = b.getAttribute(i);
            if (!x.getName().equals(y.getName())) {
                return where + ": attribute " + x.getName() + " vs " + y.getName();
            }
            if (x.hasT()) {
                String d = tensor(x.getT(), y.getT(), where + " attribute " + x.getName());
                if (d != null) {
                    return d;
                }
            } else if (x.hasG()) {
                String d = graph(x.getG(), y.getG(), where + " attribute " + x.getName());
                if (d != null) {
                    return d;
                }
            } else if (x.getGraphsCount() > 0) {
                for (int k = 0; k < x.getGraphsCount(); k++) {
                    String d = graph(x.getGraphs(k), y.getGraphs(k), where + " attribute " + x.getName());
                    if (d != null) {
                        return d;
                    }
                }
            } else {
                Onnx.AttributeProto xs = x.toBuilder().clearType().clearDocString().build();
                Onnx.AttributeProto ys = y.toBuilder().clearType().clearDocString().build();
                if (!xs.equals(ys)) {
                    return where + ": attribute " + x.getName() + " value differs";
                }
            }
        }
        return null;
    }

    /** Equal when the decoded elements are equal, whichever field holds them. */
    private static String tensor(Onnx.TensorProto a, Onnx.TensorProto b, String where) {
        if (b == null) {
            return where + ": missing";
        }
        if (a.getDataType() != b.getDataType() || !a.getDimsList().equals(b.getDimsList())) {
            return where + ": type or dims differ";
        }
        io.mconv.ir.Tensor x = decode(a);
        io.mconv.ir.Tensor y = decode(b);
        return x.contentEquals(y) ? null : where + ": contents differ";
    }

    private static io.mconv.ir.Tensor decode(Onnx.TensorProto t) {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().addInitializer(t.toBuilder().setName("t"))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("t")).build();
        return io.mconv.ir.serde.ProtoImporter.importModel(Onnx.ModelProto.newBuilder().setGraph(g).build(),
                io.mconv.ir.serde.ExternalTensorResolver.NONE).graph().initializers().get("t").constValue();
    }
}
