package io.mconv.cli.render;

import io.mconv.agent.inspect.InspectReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code mconv.inspect/1} JSON document. Keys are snake_case and stable: scripts parse them. */
public final class InspectJson {

    private InspectJson() {
    }

    public static Map<String, Object> render(InspectReport r) {
        Map<String, Object> doc = Json.document("inspect");
        doc.put("file", r.file());
        doc.put("file_bytes", r.fileBytes());
        doc.put("ir_version", r.irVersion());
        List<Map<String, Object>> opsets = new ArrayList<>();
        r.opsets().forEach((domain, version) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("domain", domain.isEmpty() ? "ai.onnx" : domain);
            o.put("version", version);
            opsets.add(o);
        });
        doc.put("opsets", opsets);
        Map<String, Object> producer = new LinkedHashMap<>();
        producer.put("name", r.producerName());
        producer.put("version", r.producerVersion());
        doc.put("producer", producer);
        doc.put("model_version", r.modelVersion());
        doc.put("graph_name", r.graphName());
        doc.put("metadata", r.metadata());
        doc.put("provenance", ProvenanceView.of(r.metadata()));
        doc.put("parameters", r.parameters());
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("total", r.weightBytes());
        weights.put("inline", r.inlineWeightBytes());
        weights.put("external", r.externalWeightBytes());
        doc.put("weight_bytes", weights);
        List<Map<String, Object>> ext = new ArrayList<>();
        for (InspectReport.ExternalFile f : r.externalFiles()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("location", f.location());
            e.put("bytes", f.bytes());
            e.put("tensors", f.tensors());
            ext.add(e);
        }
        doc.put("external_files", ext);
        doc.put("nodes", r.nodes());
        doc.put("nodes_in_subgraphs", r.nodesInSubgraphs());
        doc.put("functions", r.functions());
        doc.put("op_histogram", r.opHistogram());
        doc.put("inputs", ports(r.inputs()));
        doc.put("outputs", ports(r.outputs()));
        InspectReport.Macs m = r.macs();
        doc.put("macs", m.total());
        Map<String, Object> macs = new LinkedHashMap<>();
        macs.put("by_op_type", m.byOpType());
        macs.put("pooling", m.pooling());
        macs.put("unknown_nodes", m.unknownNodes());
        macs.put("assumed_batch_one", m.assumedBatchOne());
        doc.put("macs_detail", macs);
        List<Map<String, Object>> largest = new ArrayList<>();
        for (InspectReport.Initializer i : r.largestInitializers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", i.name());
            e.put("dtype", i.type());
            e.put("shape", i.shape());
            e.put("elements", i.elements());
            e.put("bytes", i.bytes());
            e.put("external", i.external());
            largest.add(e);
        }
        doc.put("largest_initializers", largest);
        return doc;
    }

    private static List<Map<String, Object>> ports(List<InspectReport.Port> ports) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (InspectReport.Port p : ports) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", p.name());
            e.put("dtype", p.type());
            e.put("shape", p.dims());
            out.add(e);
        }
        return out;
    }
}
