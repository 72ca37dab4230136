package io.mconv.passes.rewrite;

import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Usage;
import io.mconv.ir.Value;
import io.mconv.passes.PassContext;
import java.util.List;

/** Read-only questions a rule's check asks about the graph around a node. */
public final class RuleContext {

    private final PassContext pass;
    private final Graph graph;

    public RuleContext(PassContext pass, Graph graph) {
        this.pass = pass;
        this.graph = graph;
    }

    public PassContext pass() {
        return pass;
    }

    public Graph graph() {
        return graph;
    }

    /** The constant a value holds (see {@link #constantOf}); else null. */
    public Tensor constant(Value v) {
        return constantOf(v);
    }

    /**
     * The constant a value holds: an initializer (of this graph or an enclosing one) or the output of a
     * default-domain {@code Constant} node with a dense {@code value}, {@code value_float(s)} or
     * {@code value_int(s)}, as exporters emit scalars. Null otherwise. The one place passes ask this.
     */
    public static Tensor constantOf(Value v) {
        if (v == null) {
            return null;
        }
        if (v.constValue() != null) {
            return v.constValue();
        }
        Node p = v.producer();
        if (p == null || !p.isDefaultDomain() || !p.opType().equals("Constant") || p.attributes().size() != 1) {
            return null;
        }
        io.mconv.ir.Attribute a = p.attributes().iterator().next();
        if (a.isReference()) {
            return null;
        }
        return switch (a.name()) {
            case "value" -> a.asTensor();
            case "value_float" -> Tensor.ofFloats(v.name(), new long[0], a.asFloat());
            case "value_floats" -> Tensor.ofFloats(v.name(), new long[] {a.asFloats().length}, a.asFloats());
            case "value_int" -> Tensor.ofLongs(v.name(), new long[0], a.asInt());
            case "value_ints" -> Tensor.ofLongs(v.name(), new long[] {a.asInts().length}, a.asInts());
            default -> null;
        };
    }

    public boolean isConstant(Value v) {
        return constant(v) != null;
    }

    /** Exactly one consumer and not a graph output: the value may be folded into its consumer. */
    public boolean isPrivateTo(Value v, Node consumer) {
        List<Usage> uses = v.uses();
        return !v.isGraphOutput() && uses.size() == 1 && uses.get(0).node() == consumer;
    }

    /** An initializer read by no node other than {@code consumer} (so rewriting it in place changes no one else). */
    public boolean isConstantOwnedBy(Value v, Node consumer) {
        return isConstant(v) && !v.isGraphInput() && !v.isGraphOutput()
                && v.uses().stream().allMatch(u -> u.node() == consumer);
    }

    /** The node producing {@code v} in this graph, if it has the given op type (default domain); else null. */
    public Node producerOf(Value v, String opType) {
        if (v == null || v.producer() == null) {
            return null;
        }
        Node p = v.producer();
        return p.isDefaultDomain() && p.opType().equals(opType) ? p : null;
    }

    /**
     * Whether operator {@code opType} of {@code domain} exists at the opset this graph imports for that domain,
     * asked of the schema registry; false when the domain is not imported.
     */
    public boolean opsetHas(String domain, String opType) {
        int version = graph.opsetVersion(domain);
        return version > 0 && pass.schemas().get(domain, opType, version).isPresent();
    }

    /** The opset version the graph imports for the default domain. */
    public int defaultOpset() {
        return graph.opsetVersion("");
    }
}
