package io.mconv.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator sets a model or function imports, in file order. The default domain may be spelled "" or
 * "ai.onnx"; lookups treat both the same.
 */
public final class OpsetImports {

    private final Map<String, Long> versions = new LinkedHashMap<>();

    public void put(String domain, long version) {
        versions.put(domain == null ? "" : domain, version);
    }

    /** The imported version for {@code domain}, or -1 when it is not imported. */
    public int version(String domain) {
        Long v = versions.get(domain);
        if (v == null && (domain.isEmpty() || domain.equals("ai.onnx"))) {
            v = versions.containsKey("") ? versions.get("") : versions.get("ai.onnx");
        }
        return v == null ? -1 : (int) Math.min(Integer.MAX_VALUE, v);
    }

    /** As in the file: domain to version, in order. */
    public Map<String, Long> asMap() {
        return Collections.unmodifiableMap(versions);
    }
}
