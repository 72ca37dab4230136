package io.mconv.passes.opset;

import io.mconv.ir.Function;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.passes.Target;
import io.mconv.schema.OpSchema;
import io.mconv.schema.OpSchemaRegistry;
import io.mconv.shape.ShapeInference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Converts a model's default-domain opset up or down (targets 7 to the newest opset the schema registry knows),
 * rewriting every operator whose definition changed in between into its target form with the same meaning: inputs
 * that used to be attributes and back, new semantics spelled out with helper nodes, operators renamed or written
 * out where the target has no such operator. Operators that merely gained a version (more types, clarified text)
 * are checked against the target's signature. Main graph, subgraphs and local functions importing the same opset
 * are converted alike. Every node that cannot be converted is named, with the reason, in one
 * {@link OpsetConversionException}.
 *
 * <p>Shape inference runs first because several rewrites need a rank or a dimension; the model's own value types
 * are put back afterwards, so the conversion adds no inferred type the file did not declare.
 *
 * <p>The {@link Target} says which runtime the result is for. {@link Target#PORTABLE} (the default) writes standard
 * ONNX only. {@link Target#ORT} keeps the operators ONNX Runtime runs in the ONNX domain below the opset that
 * standardized them ({@link OrtOnnxDomainOperators}: LayerNormalization below 17) instead of writing them out, so the
 * result computes exactly what the original computes in ORT; such a node is held to the standard definition it
 * stands for. Either way a source node of that kind (a model made for ORT) is read as that definition.
 */
public final class OpsetConverter {

    /** The oldest target: the first opset with numpy broadcasting, below which ORT runs almost nothing. */
    public static final int MIN_TARGET = 7;

    private final OpSchemaRegistry schemas;
    private final Target target;
    private final OpAdapters adapters;

    /** A converter writing standard ONNX ({@link Target#PORTABLE}). */
    public OpsetConverter(OpSchemaRegistry schemas) {
        this(schemas, Target.PORTABLE);
    }

    /** @param target the runtime the result is for: ORT keeps the operators it runs below their standard opset */
    public OpsetConverter(OpSchemaRegistry schemas, Target target) {
        this.schemas = schemas;
        this.target = target;
        this.adapters = new OpAdapters(target);
    }

    /** What the conversion did: the nodes rewritten (not merely re-versioned), by operator. */
    public record Result(int from, int to, Map<String, Integer> adaptedByOp) {
    }

    /**
     * Converts {@code model} in place.
     *
     * @throws IllegalArgumentException when the target is out of range or the model imports no default opset
     * @throws OpsetConversionException listing every node that has no equivalent at the target
     */
    public Result convert(Model model, int target) {
        int from = model.opsetVersion("");
        int max = schemas.maxOpset(OpSchemaRegistry.ONNX_DOMAIN);
        if (from < 1) {
            throw new IllegalArgumentException("the model imports no default-domain (ai.onnx) opset");
        }
        if (target < MIN_TARGET || target > max) {
            throw new IllegalArgumentException("opset " + target + " is outside what mconv converts to ("
                    + MIN_TARGET + " to " + max + ")");
        }
        Map<String, Integer> adapted = new TreeMap<>();
        if (target == from) {
            return new Result(from, target, adapted);
        }
        Map<Value, Optional<ValueType>> declared = declaredTypes(model);
        inferQuietly(model);
        Span span = new Span(from, target);
        List<String> refusals = new ArrayList<>();
        for (Graph g : graphsAt(model, from)) {
            for (Node n : g.nodes()) {
                if (n.isDefaultDomain() && n.graph() == g) {
                    convertNode(n, span, refusals, adapted);
                }
            }
        }
        declared.forEach((v, t) -> v.setType(t.orElse(null)));
        if (!refusals.isEmpty()) {
            throw new OpsetConversionException(from, target, refusals);
        }
        setDefaultOpset(model.opsetImports(), target);
        for (Function f : model.functions()) {
            if (f.opsetVersion("") == from) {
                setDefaultOpset(f.opsetImports(), target);
            }
        }
        long ir = requiredIrVersion(target);
        if (model.irVersion() == null || model.irVersion() < ir) {
            model.setIrVersion(ir);
        }
        return new Result(from, target, adapted);
    }

    private void convertNode(Node node, Span span, List<String> refusals, Map<String, Integer> adapted) {
        String op = node.opType();
        String label = op + " '" + node.name() + "'";
        Optional<OpSchema> source = schemas.get("", op, span.from())
                .or(() -> OrtOnnxDomainOperators.definitionAt(schemas, op, span.from()));
        if (source.isEmpty()) {
            refusals.add(label + ": " + op + " has no definition at opset " + span.from());
            return;
        }
        Node now = node;
        Optional<OpAdapter> adapter = adapters.forOp(op);
        try {
            if (adapter.isPresent()) {
                String before = fingerprint(node);
                now = adapter.get().adapt(node, span, new NodeEditor(node));
                if (now != node || !before.equals(fingerprint(node))) {
                    adapted.merge(op, 1, Integer::sum);
                }
            }
        } catch (Refusal | IllegalStateException | IllegalArgumentException e) {
            refusals.add(label + ": " + e.getMessage());
            return;
        }
        if (now == null) {
            return; // written out in nodes built valid for the target
        }
        Optional<OpSchema> destination = definitionAtTarget(now.opType(), span.to());
        if (destination.isEmpty() || destination.get().deprecated()) {
            refusals.add(label + ": " + now.opType() + " has no definition at opset " + span.to()
                    + definedRange(now.opType()));
            return;
        }
        List<String> problems = SignatureCheck.apply(now, now.opType().equals(op) ? source.get() : null,
                destination.get(), adapter.isPresent());
        problems.forEach(p -> refusals.add(label + ": " + p));
    }

    /**
     * The definition a node must fit at the target opset: the standard one, or for the ORT target the standard
     * definition of an operator ORT registers below its standard opset (the adapter kept it on purpose; the verifier
     * and the writer check structure, not schemas, so only this check needs to know).
     */
    private Optional<OpSchema> definitionAtTarget(String opType, int opset) {
        Optional<OpSchema> standard = schemas.get("", opType, opset);
        if (standard.isPresent() || target != Target.ORT) {
            return standard;
        }
        return OrtOnnxDomainOperators.definitionAt(schemas, opType, opset);
    }

    /** Enough of a node to tell whether an adapter changed it. */
    private static String fingerprint(Node n) {
        StringBuilder b = new StringBuilder(n.opType());
        n.attributes().forEach(a -> b.append('|').append(a));
        n.inputs().forEach(v -> b.append('|').append(v == null ? "" : v.name()));
        return b.toString();
    }

    private String definedRange(String op) {
        List<OpSchema> versions = schemas.versions("", op);
        if (versions.isEmpty()) {
            return "";
        }
        OpSchema last = versions.get(versions.size() - 1);
        return last.deprecated() ? " (deprecated at " + last.sinceVersion() + ")"
                : " (defined from opset " + versions.get(0).sinceVersion() + ")";
    }

    /** The main graph with its subgraphs, then bodies of local functions importing the same default opset. */
    private static List<Graph> graphsAt(Model model, int from) {
        List<Graph> out = new ArrayList<>();
        collect(model.graph(), out);
        for (Function f : model.functions()) {
            if (f.opsetVersion("") == from) {
                collect(f.body(), out);
            }
        }
        return out;
    }

    private static void collect(Graph g, List<Graph> out) {
        out.add(g);
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
        }
    }

    private static Map<Value, Optional<ValueType>> declaredTypes(Model model) {
        Map<Value, Optional<ValueType>> types = new IdentityHashMap<>();
        List<Graph> all = new ArrayList<>();
        collect(model.graph(), all);
        for (Graph g : all) {
            for (Value v : g.definedValues()) {
                types.put(v, Optional.ofNullable(v.type()));
            }
        }
        return types;
    }

    /** Ranks and dimensions help several rewrites; a model inference cannot type is still converted. */
    private static void inferQuietly(Model model) {
        try {
            ShapeInference.infer(model, Map.of());
        } catch (RuntimeException ignored) {
            // Rewrites that need a rank refuse by themselves when it stays unknown.
        }
    }

    private static void setDefaultOpset(io.mconv.ir.OpsetImports imports, int version) {
        imports.put(imports.asMap().containsKey("ai.onnx") ? "ai.onnx" : "", version);
    }

    /** The IR version that introduced each opset (ONNX's versioning table). */
    public static long requiredIrVersion(int opset) {
        if (opset >= 21) {
            return 10;
        }
        if (opset >= 19) {
            return 9;
        }
        if (opset >= 15) {
            return 8;
        }
        if (opset >= 12) {
            return 7;
        }
        return opset >= 11 ? 6 : opset >= 10 ? 5 : 3;
    }
}
