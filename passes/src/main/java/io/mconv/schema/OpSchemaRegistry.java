package io.mconv.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Answers "which signature does operator X of domain D have at opset N": the lookup every consumer of operator
 * schemas (attribute defaults, the verifier, shape inference, the compatibility checker) goes through.
 *
 * <p>{@link #standard()} holds the standard ONNX operators (domains {@code ai.onnx} up to opset 21 and
 * {@code ai.onnx.ml} as of ONNX 1.16), read once from the bundled resource. Registries are immutable; further
 * domains (e.g. {@code com.microsoft} contrib operators) are added by building a new registry with
 * {@link #toBuilder()} or {@link #withAdditional(Collection)}. The default domain may be spelled {@code ""} or
 * {@code ai.onnx}; schemas and {@link #domains()} use {@code ai.onnx}.
 */
public final class OpSchemaRegistry {
    /** The canonical name of the default ONNX domain. */
    public static final String ONNX_DOMAIN = "ai.onnx";
    /** The ONNX traditional-ML domain. */
    public static final String ML_DOMAIN = "ai.onnx.ml";
    /** Classpath location of the standard schemas. */
    static final String STANDARD_RESOURCE = "onnx-operators.txt";

    // domain -> operator -> versions, ascending by sinceVersion; all unmodifiable
    private final Map<String, Map<String, List<OpSchema>>> byDomain;
    private final Map<String, Integer> maxOpsets;

    private OpSchemaRegistry(Map<String, Map<String, List<OpSchema>>> byDomain, Map<String, Integer> maxOpsets) {
        this.byDomain = byDomain;
        this.maxOpsets = maxOpsets;
    }

    /** The standard ONNX operator schemas, loaded on first use. */
    public static OpSchemaRegistry standard() {
        return StandardHolder.INSTANCE;
    }

    /** How long the first {@link #standard()} call took to read the resource, in nanoseconds (for diagnostics). */
    static long standardLoadNanos() {
        return StandardHolder.LOAD_NANOS;
    }

    private static final class StandardHolder {
        private static final long START = System.nanoTime();
        static final OpSchemaRegistry INSTANCE = loadStandard();
        static final long LOAD_NANOS = System.nanoTime() - START;

        private static OpSchemaRegistry loadStandard() {
            try (InputStream in = OpSchemaRegistry.class.getResourceAsStream(STANDARD_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource io/mconv/schema/" + STANDARD_RESOURCE);
                }
                Builder b = builder();
                SchemaResourceParser.parse(in, STANDARD_RESOURCE, b);
                return b.build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read io/mconv/schema/" + STANDARD_RESOURCE, e);
            }
        }
    }

    /** {@code ""} and {@code "ai.onnx"} both name the default domain; returns {@code "ai.onnx"} for either. */
    public static String canonicalDomain(String domain) {
        return domain.isEmpty() ? ONNX_DOMAIN : domain;
    }

    /**
     * The version of {@code opType} in effect at {@code opsetVersion}: the one with the highest sinceVersion not above
     * it. Empty when the operator is unknown or did not exist yet. A deprecated version is returned as such (check
     * {@link OpSchema#deprecated()}). An opset above {@link #maxOpset(String)} gets the newest known version, which
     * may be wrong for opsets this registry does not know.
     */
    public Optional<OpSchema> get(String domain, String opType, int opsetVersion) {
        List<OpSchema> versions = versions(domain, opType);
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).sinceVersion() <= opsetVersion) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    /** Every version of the operator, ascending by sinceVersion; empty if unknown. */
    public List<OpSchema> versions(String domain, String opType) {
        Map<String, List<OpSchema>> ops = byDomain.get(canonicalDomain(domain));
        if (ops == null) {
            return List.of();
        }
        return ops.getOrDefault(opType, List.of());
    }

    /** The operator names of a domain (every name that has at least one version), sorted. */
    public SortedSet<String> operators(String domain) {
        Map<String, List<OpSchema>> ops = byDomain.get(canonicalDomain(domain));
        return ops == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(ops.keySet()));
    }

    /** The domains with schemas, canonical names. */
    public Set<String> domains() {
        return byDomain.keySet();
    }

    /**
     * The newest opset of the domain this registry describes completely (21 for ai.onnx in the standard registry),
     * or 0 for an unknown domain.
     */
    public int maxOpset(String domain) {
        return maxOpsets.getOrDefault(canonicalDomain(domain), 0);
    }

    /** Every schema of every domain, ordered by domain, operator and version. */
    public List<OpSchema> all() {
        List<OpSchema> out = new ArrayList<>();
        byDomain.values().forEach(ops -> ops.values().forEach(out::addAll));
        return Collections.unmodifiableList(out);
    }

    /** A registry with these schemas added; a (domain, name, sinceVersion) already present is an error. */
    public OpSchemaRegistry withAdditional(Collection<OpSchema> schemas) {
        Builder b = toBuilder();
        schemas.forEach(b::add);
        return b.build();
    }

    /** A builder that starts with this registry's schemas and opsets. */
    public Builder toBuilder() {
        Builder b = new Builder();
        all().forEach(b::add);
        maxOpsets.forEach(b::maxOpset);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects schemas (from code or from a resource in the schema format) into an immutable registry. */
    public static final class Builder {
        private final Map<String, Map<String, Map<Integer, OpSchema>>> schemas = new TreeMap<>();
        private final Map<String, Integer> maxOpsets = new HashMap<>();

        private Builder() {
        }

        public Builder add(OpSchema schema) {
            Map<String, Map<Integer, OpSchema>> ops = schemas.get(schema.domain());
            if (ops == null) {
                ops = new TreeMap<>();
                schemas.put(schema.domain(), ops);
            }
            Map<Integer, OpSchema> versions = ops.get(schema.name());
            if (versions == null) {
                versions = new TreeMap<>();
                ops.put(schema.name(), versions);
            }
            if (versions.putIfAbsent(schema.sinceVersion(), schema) != null) {
                throw new IllegalArgumentException("duplicate schema " + schema);
            }
            return this;
        }

        /** Declares the newest opset of a domain; without it, the highest sinceVersion of the domain is used. */
        public Builder maxOpset(String domain, int version) {
            maxOpsets.put(canonicalDomain(domain), version);
            return this;
        }

        /** Adds the schemas of a resource in the format of docs/formats/operator-schemas.md. */
        public Builder load(InputStream in, String sourceName) throws IOException {
            SchemaResourceParser.parse(in, sourceName, this);
            return this;
        }

        public OpSchemaRegistry build() {
            Map<String, Map<String, List<OpSchema>>> byDomain = new TreeMap<>();
            Map<String, Integer> opsets = new HashMap<>();
            for (var d : schemas.entrySet()) {
                Map<String, List<OpSchema>> ops = new TreeMap<>();
                int highest = 0;
                for (var op : d.getValue().entrySet()) {
                    List<OpSchema> versions = List.copyOf(op.getValue().values()); // TreeMap: ascending since
                    highest = Math.max(highest, versions.get(versions.size() - 1).sinceVersion());
                    ops.put(op.getKey(), versions);
                }
                byDomain.put(d.getKey(), Collections.unmodifiableMap(ops));
                opsets.put(d.getKey(), Math.max(highest, maxOpsets.getOrDefault(d.getKey(), 0)));
            }
            return new OpSchemaRegistry(Collections.unmodifiableMap(byDomain), Map.copyOf(opsets));
        }
    }
}
