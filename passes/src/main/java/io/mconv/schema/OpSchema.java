package io.mconv.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The signature of one version of one operator ({@code domain}, {@code name}, {@code sinceVersion}): what the
 * verifier checks a node against, where attribute defaults come from, and what shape inference and the
 * compatibility checker read.
 *
 * <p>The domain is canonical: {@code ai.onnx} for the default domain (never {@code ""}). Input and output counts
 * follow ONNX: {@code maxInputs} / {@code maxOutputs} are {@link #UNBOUNDED} when the last parameter is variadic.
 * A {@code deprecated} version still carries the signature of the version before it (the spec prints only a stub
 * for it); a model may not use it at an opset where it is the newest version.
 */
public final class OpSchema {
    /** The count used for "no upper bound" (a trailing variadic parameter), as in ONNX. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    private final String domain;
    private final String name;
    private final int sinceVersion;
    private final boolean deprecated;
    private final List<FormalParameter> inputs;
    private final List<FormalParameter> outputs;
    private final Map<String, AttributeSchema> attributes;
    private final Map<String, TypeConstraint> typeConstraints;
    private final int minInputs;
    private final int maxInputs;
    private final int minOutputs;
    private final int maxOutputs;

    /**
     * Creates a schema; the counts are given explicitly (they are facts of the spec) and must agree with the
     * parameters: max counts every parameter (unbounded with a trailing variadic), min counts up to the last single
     * parameter, or everything before a trailing variadic plus its minimum arity.
     */
    public OpSchema(String domain, String name, int sinceVersion, boolean deprecated, List<FormalParameter> inputs,
            List<FormalParameter> outputs, List<AttributeSchema> attributes, List<TypeConstraint> typeConstraints,
            int minInputs, int maxInputs, int minOutputs, int maxOutputs) {
        this.domain = OpSchemaRegistry.canonicalDomain(Objects.requireNonNull(domain, "domain"));
        this.name = Objects.requireNonNull(name, "name");
        if (sinceVersion < 1) {
            throw new IllegalArgumentException(name + ": sinceVersion < 1");
        }
        this.sinceVersion = sinceVersion;
        this.deprecated = deprecated;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Map<String, AttributeSchema> attrs = new LinkedHashMap<>();
        for (AttributeSchema a : attributes) {
            if (attrs.put(a.name(), a) != null) {
                throw new IllegalArgumentException(this + ": duplicate attribute " + a.name());
            }
        }
        this.attributes = Collections.unmodifiableMap(attrs);
        Map<String, TypeConstraint> tcs = new LinkedHashMap<>();
        for (TypeConstraint t : typeConstraints) {
            if (tcs.put(t.name(), t) != null) {
                throw new IllegalArgumentException(this + ": duplicate type constraint " + t.name());
            }
        }
        this.typeConstraints = Collections.unmodifiableMap(tcs);
        checkCounts("inputs", this.inputs, minInputs, maxInputs);
        checkCounts("outputs", this.outputs, minOutputs, maxOutputs);
        for (List<FormalParameter> params : List.of(this.inputs, this.outputs)) {
            for (FormalParameter p : params) {
                if (!p.isConcreteType() && !tcs.containsKey(p.typeString())) {
                    throw new IllegalArgumentException(
                            this + ": " + p.name() + " uses undeclared type constraint " + p.typeString());
                }
            }
        }
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
        this.minOutputs = minOutputs;
        this.maxOutputs = maxOutputs;
    }

    private void checkCounts(String what, List<FormalParameter> params, int min, int max) {
        int expectedMax = params.size();
        int expectedMin = 0;
        for (int i = 0; i < params.size(); i++) {
            FormalParameter p = params.get(i);
            switch (p.option()) {
                case SINGLE -> expectedMin = i + 1;
                case OPTIONAL -> { }
                case VARIADIC -> {
                    if (i != params.size() - 1) {
                        throw new IllegalArgumentException(this + ": variadic " + p.name() + " is not last");
                    }
                    expectedMin = i + p.minArity();
                    expectedMax = UNBOUNDED;
                }
            }
        }
        if (min != expectedMin || max != expectedMax) {
            throw new IllegalArgumentException(this + ": " + what + " count " + min + ".." + max
                    + " does not match the parameters (" + expectedMin + ".." + expectedMax + ")");
        }
    }

    public String domain() {
        return domain;
    }

    public String name() {
        return name;
    }

    public int sinceVersion() {
        return sinceVersion;
    }

    public boolean deprecated() {
        return deprecated;
    }

    public List<FormalParameter> inputs() {
        return inputs;
    }

    public List<FormalParameter> outputs() {
        return outputs;
    }

    /** Attributes by name, in spec order. */
    public Map<String, AttributeSchema> attributes() {
        return attributes;
    }

    public Optional<AttributeSchema> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    /** Type constraints by name, in spec order. */
    public Map<String, TypeConstraint> typeConstraints() {
        return typeConstraints;
    }

    public Optional<TypeConstraint> typeConstraint(String constraintName) {
        return Optional.ofNullable(typeConstraints.get(constraintName));
    }

    public int minInputs() {
        return minInputs;
    }

    /** The largest number of inputs, {@link #UNBOUNDED} with a trailing variadic. */
    public int maxInputs() {
        return maxInputs;
    }

    public int minOutputs() {
        return minOutputs;
    }

    /** The largest number of outputs, {@link #UNBOUNDED} with a trailing variadic. */
    public int maxOutputs() {
        return maxOutputs;
    }

    /** The formal parameter that actual input {@code index} binds to (the variadic for trailing indices). */
    public Optional<FormalParameter> inputAt(int index) {
        return parameterAt(inputs, index);
    }

    /** The formal parameter that actual output {@code index} binds to (the variadic for trailing indices). */
    public Optional<FormalParameter> outputAt(int index) {
        return parameterAt(outputs, index);
    }

    private static Optional<FormalParameter> parameterAt(List<FormalParameter> params, int index) {
        if (index < 0 || params.isEmpty()) {
            return Optional.empty();
        }
        if (index < params.size()) {
            return Optional.of(params.get(index));
        }
        FormalParameter last = params.get(params.size() - 1);
        return last.isVariadic() ? Optional.of(last) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OpSchema other)) {
            return false;
        }
        return domain.equals(other.domain) && name.equals(other.name) && sinceVersion == other.sinceVersion
                && deprecated == other.deprecated && inputs.equals(other.inputs) && outputs.equals(other.outputs)
                && attributes.equals(other.attributes) && typeConstraints.equals(other.typeConstraints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, name, sinceVersion);
    }

    /** {@code domain::Name-since}, e.g. {@code ai.onnx::Conv-11}. */
    @Override
    public String toString() {
        return domain + "::" + name + "-" + sinceVersion + (deprecated ? " (deprecated)" : "");
    }
}
