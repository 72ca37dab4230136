package io.mconv.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole model: the IR version, opset imports, producer and metadata, the main graph, local functions and
 * training information. Optional scalar fields are null when the file does not set them, so export writes back
 * exactly what was there.
 */
public final class Model {

    private Long irVersion;
    private final OpsetImports opsetImports = new OpsetImports();
    private String producerName;
    private String producerVersion;
    private String domain;
    private Long modelVersion;
    private String docString;
    private final PreservedFields preservedFields = new PreservedFields();
    private final Graph graph;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<TrainingInfo> trainingInfo = new ArrayList<>();
    private final List<Function> functions = new ArrayList<>();

    public Model(Graph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
        graph.attachToModel(this);
    }

    public Graph graph() {
        return graph;
    }

    /** Null when the file does not say. */
    public Long irVersion() {
        return irVersion;
    }

    public void setIrVersion(Long irVersion) {
        this.irVersion = irVersion;
    }

    public OpsetImports opsetImports() {
        return opsetImports;
    }

    /** The imported version of {@code domain} ("" or "ai.onnx" for the default domain), or -1. */
    public int opsetVersion(String d) {
        return opsetImports.version(d);
    }

    public String producerName() {
        return producerName;
    }

    public void setProducerName(String producerName) {
        this.producerName = producerName;
    }

    public String producerVersion() {
        return producerVersion;
    }

    public void setProducerVersion(String producerVersion) {
        this.producerVersion = producerVersion;
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    public Long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(Long modelVersion) {
        this.modelVersion = modelVersion;
    }

    /** Unknown fields of the element this was read from, kept for writing back. */
    public PreservedFields preservedFields() {
        return preservedFields;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString;
    }

    /** metadata_props, mutable, in file order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public List<TrainingInfo> trainingInfo() {
        return trainingInfo;
    }

    public List<Function> functions() {
        return functions;
    }
}
