package io.mconv.agent.inspect;

import io.mconv.agent.model.IrModelFile;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.onnx.io.ExternalDataLocation;
import io.mconv.onnx.io.ModelTensors;
import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes an {@link InspectReport} from a loaded model without running it: no ONNX Runtime, no libtorch, so
 * inspecting is fast and safe on any file that parses.
 */
public final class ModelInspector {

    private final int largestCount;

    /** @param largestCount how many of the largest initializers to list */
    public ModelInspector(int largestCount) {
        this.largestCount = largestCount;
    }

    public InspectReport inspect(IrModelFile file, InspectReport.Macs macs) {
        Model model = file.model();
        Graph graph = model.graph();
        Set<String> externalNames = new HashSet<>();
        Map<String, long[]> externalFiles = new TreeMap<>();
        for (Onnx.TensorProto tp : ModelTensors.list(file.loaded().model())) {
            if (tp.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
                externalNames.add(tp.getName());
                ExternalDataLocation loc = file.loaded().externalData().location(tp);
                long bytes = loc.hasLength() ? loc.length() : 0;
                long[] agg = externalFiles.computeIfAbsent(loc.location(), k -> new long[2]);
                agg[0] += bytes;
                agg[1]++;
            }
        }
        List<InspectReport.Initializer> initializers = new ArrayList<>();
        long[] totals = new long[3];
        collectInitializers(graph, externalNames, initializers, totals);

        List<InspectReport.ExternalFile> extFiles = new ArrayList<>();
        externalFiles.forEach((loc, agg) -> extFiles.add(new InspectReport.ExternalFile(loc, agg[0], (int) agg[1])));

        Map<String, Integer> histogram = new TreeMap<>();
        for (Node n : graph) {
            histogram.merge(n.isDefaultDomain() ? n.opType() : n.domain() + "::" + n.opType(), 1, Integer::sum);
        }
        Map<String, Integer> sortedHistogram = new LinkedHashMap<>();
        histogram.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sortedHistogram.put(e.getKey(), e.getValue()));

        List<InspectReport.Port> inputs = new ArrayList<>();
        for (Value v : graph.inputs()) {
            if (!v.isInitializer()) {
                inputs.add(port(v));
            }
        }
        List<InspectReport.Port> outputs = graph.outputs().stream().map(ModelInspector::port).toList();

        initializers.sort(Comparator.comparingLong(InspectReport.Initializer::bytes).reversed()
                .thenComparing(InspectReport.Initializer::name));
        List<InspectReport.Initializer> largest = initializers.subList(0, Math.min(largestCount, initializers.size()));

        return new InspectReport(
                file.source() == null ? null : file.source().toString(),
                fileSize(file),
                model.irVersion(),
                model.opsetImports().asMap(),
                model.producerName(),
                model.producerVersion(),
                model.modelVersion(),
                graph.name(),
                model.metadata(),
                totals[0],
                totals[1] + totals[2],
                totals[1],
                totals[2],
                extFiles,
                graph.nodeCount(),
                countSubgraphNodes(graph),
                model.functions().size(),
                sortedHistogram,
                inputs,
                outputs,
                List.copyOf(largest),
                macs);
    }

    private static long fileSize(IrModelFile file) {
        if (file.source() == null) {
            return 0;
        }
        try {
            return Files.size(file.source());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** totals: [0] elements, [1] inline bytes, [2] external bytes; recurses into subgraphs. */
    private static void collectInitializers(Graph g, Set<String> externalNames,
                                            List<InspectReport.Initializer> out, long[] totals) {
        for (Value v : g.initializers().values()) {
            Tensor t = v.constValue();
            boolean external = g.outerGraph() == null && externalNames.contains(v.name());
            totals[0] += t.elementCount();
            totals[external ? 2 : 1] += t.byteSize();
            out.add(new InspectReport.Initializer(v.name(), t.dataType().displayName(), t.shape().toString(),
                    t.elementCount(), t.byteSize(), external));
        }
        for (Value v : g.sparseInitializers().values()) {
            Tensor values = v.sparseConstValue().values();
            totals[0] += values.elementCount();
            totals[1] += values.byteSize() + v.sparseConstValue().indices().byteSize();
        }
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                collectInitializers(sub, externalNames, out, totals);
            }
        }
    }

    private static int countSubgraphNodes(Graph g) {
        int count = 0;
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                count += sub.nodeCount() + countSubgraphNodes(sub);
            }
        }
        return count;
    }

    private static InspectReport.Port port(Value v) {
        ValueType type = v.type();
        if (type instanceof ValueType.TensorType t) {
            Shape s = t.shape();
            List<Object> dims = new ArrayList<>();
            if (s != null) {
                for (Dim d : s.dims()) {
                    dims.add(d.isKnown() ? (Object) d.value() : d.isSymbolic() ? d.param() : "?");
                }
            }
            return new InspectReport.Port(v.name(), t.elemType() == null ? "?" : t.elemType().displayName(),
                    s == null ? "unknown rank" : s.toString(), s == null ? null : dims);
        }
        return new InspectReport.Port(v.name(), type == null ? "?" : type.toString(), "", null);
    }
}
