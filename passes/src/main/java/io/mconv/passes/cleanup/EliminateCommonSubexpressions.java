package io.mconv.passes.cleanup;

import io.mconv.ir.Attribute;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.schema.OpSchemaRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code eliminate-common-subexpressions}: two nodes of one graph with the same op, domain, inputs (the same
 * values, in the same slots) and equal attributes compute the same outputs, so the later one goes and its readers
 * read the earlier one's outputs.
 *
 * <pre>
 * Before:  x ─► Relu ─► a ─► Add ─► y          After:  x ─► Relu ─► a ─► Add ─► y
 *          x ─► Relu ─► b ─┘                                      └──┘
 * </pre>
 *
 * Attributes compare deeply: floats by their bits (so NaN equals NaN and 0.0 differs from -0.0), tensors by type,
 * dims and bytes, strings by bytes. Never merged: nodes holding subgraphs, non-deterministic ops (RandomNormal,
 * RandomNormalLike, RandomUniform, RandomUniformLike, Multinomial, Bernoulli, and Dropout unless it is inference
 * Dropout), and ops outside the ONNX domains (a custom op may be random or have side effects).
 *
 * <p>Graph outputs: when the later node's output is a graph output and the earlier one's is not, the earlier
 * output takes the graph output's name (it is an inner value, free to rename). When both are graph outputs, both
 * names must stay, so the pair is skipped. One sweep in node order reaches the fixed point: a node's inputs are
 * already canonical when it is visited, so chains of duplicates collapse in one run. Each graph (subgraphs and
 * function bodies included) is handled on its own; nodes are not merged across graphs.
 */
public final class EliminateCommonSubexpressions implements Pass {

    private static final Set<String> NON_DETERMINISTIC = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial", "Bernoulli");

    private static final String ATTRIBUTES_DIFFER = "attributes differ";

    @Override
    public String name() {
        return "eliminate-common-subexpressions";
    }

    @Override
    public String description() {
        return "merge nodes with the same op, inputs and attributes";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int merged = 0;
        List<String> diagnostics = new ArrayList<>();
        for (Graph g : Graphs.all(model)) {
            Map<Key, List<Node>> seen = new HashMap<>();
            for (Node n : g) {
                if (whyNotCandidate(n, context) != null) {
                    continue;
                }
                Key key = new Key(n);
                List<Node> same = seen.computeIfAbsent(key, k -> new ArrayList<>());
                Node keep = null;
                String refused = null;
                for (Node earlier : same) {
                    refused = whyNotMerge(earlier, n);
                    if (refused == null) {
                        keep = earlier;
                        break;
                    }
                }
                if (keep == null) {
                    if (refused != null && !ATTRIBUTES_DIFFER.equals(refused)) {
                        diagnostics.add(name() + " skipped " + n + ": " + refused);
                    }
                    same.add(n);
                    continue;
                }
                for (int i = 0; i < n.outputCount(); i++) {
                    Value dup = n.output(i);
                    if (dup != null) {
                        CleanupSupport.forward(dup, keep.output(i));
                    }
                }
                g.remove(n);
                merged++;
            }
        }
        return new PassResult(merged, diagnostics);
    }

    private static String whyNotCandidate(Node n, PassContext context) {
        String domain = OpSchemaRegistry.canonicalDomain(n.domain());
        if (!domain.equals(OpSchemaRegistry.ONNX_DOMAIN) && !domain.equals(OpSchemaRegistry.ML_DOMAIN)) {
            return "custom domain";
        }
        if (NON_DETERMINISTIC.contains(n.opType())) {
            return "non-deterministic";
        }
        if (n.opType().equals("Dropout") && !isInferenceDropout(n, context)) {
            return "training Dropout";
        }
        if (!n.subgraphs().isEmpty()) {
            return "holds subgraphs";
        }
        for (Attribute a : n.attributes()) {
            if (a.isReference()) {
                return "attribute refers to a function attribute";
            }
        }
        return null;
    }

    private static boolean isInferenceDropout(Node n, PassContext context) {
        int version = n.opsetVersion();
        boolean hasIsTest = context.schemas().get(n.domain(), "Dropout", version)
                .map(s -> s.attribute("is_test").isPresent()).orElse(true);
        if (hasIsTest) {
            return n.attribute("is_test").map(a -> a.asInt() != 0).orElse(false);
        }
        Value training = n.input(2);
        if (training == null) {
            return true;
        }
        Tensor t = CleanupSupport.constant(training);
        if (t == null) {
            return false;
        }
        try {
            return Arrays.stream(t.toLongArray()).allMatch(v -> v == 0);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Null when {@code later}'s outputs can all be served by {@code earlier}'s; else why not. */
    private static String whyNotMerge(Node earlier, Node later) {
        if (!sameAttributes(earlier, later)) {
            return ATTRIBUTES_DIFFER;
        }
        if (later.outputCount() > earlier.outputCount()) {
            return "it has more outputs than its twin";
        }
        for (int i = 0; i < later.outputCount(); i++) {
            Value dup = later.output(i);
            if (dup == null) {
                continue;
            }
            Value keep = earlier.output(i);
            if (keep == null) {
                return "its twin omits output " + i;
            }
            if (dup.isGraphOutput() && keep.isGraphOutput()) {
                return "both '" + keep.name() + "' and '" + dup.name() + "' are graph outputs";
            }
        }
        return null;
    }

    private static boolean sameAttributes(Node a, Node b) {
        Map<String, Attribute> x = new TreeMap<>();
        for (Attribute at : a.attributes()) {
            x.put(at.name(), at);
        }
        Map<String, Attribute> y = new TreeMap<>();
        for (Attribute at : b.attributes()) {
            y.put(at.name(), at);
        }
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Map.Entry<String, Attribute> e : x.entrySet()) {
            if (!sameAttribute(e.getValue(), y.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean sameAttribute(Attribute a, Attribute b) {
        if (a.kind() != b.kind()) {
            return false;
        }
        return switch (a.kind()) {
            case FLOAT -> Float.floatToRawIntBits(a.asFloat()) == Float.floatToRawIntBits(b.asFloat());
            case INT -> a.asInt() == b.asInt();
            case STRING -> Arrays.equals(a.asBytes(), b.asBytes());
            case FLOATS -> floatBitsEqual(a.asFloats(), b.asFloats());
            case INTS -> Arrays.equals(a.asInts(), b.asInts());
            case STRINGS -> {
                List<byte[]> p = a.asByteStrings();
                List<byte[]> q = b.asByteStrings();
                boolean eq = p.size() == q.size();
                for (int i = 0; eq && i < p.size(); i++) {
                    eq = Arrays.equals(p.get(i), q.get(i));
                }
                yield eq;
            }
            case TENSOR -> a.asTensor().contentEquals(b.asTensor());
            case TENSORS -> {
                List<Tensor> p = a.asTensors();
                List<Tensor> q = b.asTensors();
                boolean eq = p.size() == q.size();
                for (int i = 0; eq && i < p.size(); i++) {
                    eq = p.get(i).contentEquals(q.get(i));
                }
                yield eq;
            }
            case TYPE_PROTO -> Objects.equals(a.asType(), b.asType());
            case TYPE_PROTOS -> Objects.equals(a.asTypes(), b.asTypes());
            // Graphs never get here (nodes with subgraphs are not candidates); sparse tensors are rare: not merged.
            default -> false;
        };
    }

    private static boolean floatBitsEqual(float[] p, float[] q) {
        if (p.length != q.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (Float.floatToRawIntBits(p[i]) != Float.floatToRawIntBits(q[i])) {
                return false;
            }
        }
        return true;
    }

    /** Op, domain, overload and input identities (trailing omitted inputs ignored); attributes compare later. */
    private static final class Key {
        private final String domain;
        private final String op;
        private final String overload;
        private final List<Value> inputs;
        private final int hash;

        Key(Node n) {
            this.domain = OpSchemaRegistry.canonicalDomain(n.domain());
            this.op = n.opType();
            this.overload = n.overload() == null ? "" : n.overload();
            List<Value> in = new ArrayList<>(n.inputs());
            while (!in.isEmpty() && in.get(in.size() - 1) == null) {
                in.remove(in.size() - 1);
            }
            this.inputs = in;
            int h = Objects.hash(domain, op, overload, n.outputCount());
            for (Value v : in) {
                h = 31 * h + System.identityHashCode(v);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.hash != hash || !k.domain.equals(domain) || !k.op.equals(op)
                    || !k.overload.equals(overload) || k.inputs.size() != inputs.size()) {
                return false;
            }
            for (int i = 0; i < inputs.size(); i++) {
                if (k.inputs.get(i) != inputs.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
