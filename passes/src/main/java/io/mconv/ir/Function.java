package io.mconv.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model-local function: an operator (domain, name, optional overload) defined by a body graph. The body's
 * inputs and outputs are the function's formal parameters; its nodes use the function's own opset imports.
 */
public final class Function {

    private final String domain;
    private final String name;
    private String overload;
    private final Graph body;
    private final OpsetImports opsetImports = new OpsetImports();
    private final List<String> attributeNames = new ArrayList<>();
    private final List<Attribute> attributeDefaults = new ArrayList<>();
    private String docString;
    private final PreservedFields preservedFields = new PreservedFields();
    private Map<String, String> metadata = Map.of();

    public Function(String domain, String name, Graph body) {
        this.domain = domain == null ? "" : domain;
        this.name = name;
        this.body = body;
        body.attachToFunction(this);
    }

    public String domain() {
        return domain;
    }

    public String name() {
        return name;
    }

    public String overload() {
        return overload;
    }

    public void setOverload(String overload) {
        this.overload = overload;
    }

    public Graph body() {
        return body;
    }

    public OpsetImports opsetImports() {
        return opsetImports;
    }

    public int opsetVersion(String d) {
        return opsetImports.version(d);
    }

    /** Attributes declared without a default. */
    public List<String> attributeNames() {
        return attributeNames;
    }

    /** Attributes declared with a default value. */
    public List<Attribute> attributeDefaults() {
        return attributeDefaults;
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

    public Map<String, String> metadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> props) {
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(props));
    }

    /** The key a node uses to call this function. */
    public String qualifiedName() {
        return domain + "::" + name + (overload == null || overload.isEmpty() ? "" : ":" + overload);
    }

    @Override
    public String toString() {
        return "Function(" + qualifiedName() + ")";
    }
}
