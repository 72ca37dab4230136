package io.mconv.agent.check;

import io.mconv.limits.Limits;

import io.mconv.agent.check.Finding.Rule;
import io.mconv.agent.check.Finding.Severity;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.passes.opset.OrtOnnxDomainOperators;
import io.mconv.passes.ort.ContribSchemas;
import io.mconv.schema.OpSchema;
import io.mconv.schema.OpSchemaRegistry;
import io.mconv.shape.ShapeInference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Predicts, without running anything, whether each target runtime can run a model: every node (subgraphs
 * included) against the target's capability table at the model's opset with its input and output types, plus the
 * model-level rules ({@link ModelRules}). Execution providers that hand unsupported nodes to ONNX Runtime's CPU
 * provider get "runs with CPU fallback" and the list of those nodes, as long as the CPU table covers them.
 */
public final class CompatibilityChecker {

    private final CapabilityTables tables;
    private final OpSchemaRegistry registry;
    private final ModelLoader loader;

    public CompatibilityChecker() {
        this(Limits.defaults());
    }

    /** Reads models under {@code limits}. */
    public CompatibilityChecker(Limits limits) {
        this(new CapabilityTables(), ContribSchemas.registry(), limits);
    }

    public CompatibilityChecker(CapabilityTables tables, OpSchemaRegistry registry) {
        this(tables, registry, Limits.defaults());
    }

    public CompatibilityChecker(CapabilityTables tables, OpSchemaRegistry registry, Limits limits) {
        this.tables = tables;
        this.registry = registry;
        this.loader = new ModelLoader(limits);
    }

    /**
     * Reads the model file and checks it.
     *
     * @throws io.mconv.onnx.io.InvalidModelException when the file is not a readable, valid ONNX model
     */
    public CheckReport check(Path modelFile, List<CheckTarget> targets) {
        try (IrModelFile file = loader.load(modelFile)) {
            Model model = file.model();
            ModelFacts facts = facts(model, modelFile, file.inputFiles());
            List<TargetReport> reports = check(model, facts, targets, modelFile.toString());
            return new CheckReport(modelFile, facts.irVersion(), opsets(model), countNodes(model.graph()), reports);
        }
    }

    /**
     * Checks a model already in memory. Shape inference runs on it first (it fills in missing value types, which
     * the data-type rule needs), so the model is changed in that way.
     *
     * @param modelName how suggestions name the model ({@code mconv convert MODEL ...})
     */
    public List<TargetReport> check(Model model, ModelFacts facts, List<CheckTarget> targets, String modelName) {
        try {
            ShapeInference.infer(model, Map.of());
        } catch (RuntimeException e) {
            // Inference is a help for the data-type rule, not a requirement: declared types still get checked.
        }
        Map<String, Integer> opsets = opsets(model);
        List<TargetReport> out = new ArrayList<>();
        for (CheckTarget target : targets) {
            out.add(checkTarget(model, facts, opsets, target, modelName));
        }
        return out;
    }

    private TargetReport checkTarget(Model model, ModelFacts facts, Map<String, Integer> opsets, CheckTarget target,
                                     String modelName) {
        CapabilityTable table = tables.get(target);
        CapabilityTable cpu = tables.get(CheckTarget.CPU);
        List<Finding> findings = new ArrayList<>(ModelRules.check(table, facts, opsets));
        List<String> fallback = new ArrayList<>();
        Set<String> unconfirmedOps = new HashSet<>();
        for (NodeAt at : nodes(model.graph())) {
            checkNode(at, table, cpu, modelName, findings, fallback, unconfirmedOps);
        }
        findings.sort(Comparator.comparing(Finding::severity));
        Verdict verdict = findings.stream().anyMatch(f -> f.severity() == Severity.BLOCKS) ? Verdict.WONT_RUN
                : findings.stream().anyMatch(f -> f.severity() == Severity.FALLS_BACK)
                        ? Verdict.RUNS_WITH_CPU_FALLBACK : Verdict.RUNS;
        return new TargetReport(target, table.describes(), verdict, findings,
                verdict == Verdict.RUNS_WITH_CPU_FALLBACK ? fallback : List.of(), table.notes(), null);
    }

    private void checkNode(NodeAt at, CapabilityTable table, CapabilityTable cpu, String modelName,
                           List<Finding> findings, List<String> fallback, Set<String> unconfirmedOps) {
        Node node = at.node;
        String domain = OpSchemaRegistry.canonicalDomain(node.domain());
        int opset = node.opsetVersion();
        Optional<OpSchema> schema = opset < 0 ? Optional.empty() : registry.get(domain, node.opType(), opset);
        int version = schema.map(OpSchema::sinceVersion).orElse(opset);
        // A node ONNX Runtime runs below the opset that standardized it (LayerNormalization before 17) has no
        // schema at its opset; its types are still those of the standard definition it stands for.
        Optional<OpSchema> typing = schema.isPresent() || opset < 0 || !domain.equals(OpSchemaRegistry.ONNX_DOMAIN)
                ? schema : OrtOnnxDomainOperators.definitionAt(registry, node.opType(), opset);
        Map<String, String> types = typing.map(s -> NodeTypes.bind(node, s)).orElse(Map.of());
        String op = domain.equals(OpSchemaRegistry.ONNX_DOMAIN) ? node.opType() : domain + "::" + node.opType();

        NodeSupport.Answer answer = NodeSupport.check(table, domain, node.opType(), version, types);
        if (answer.supported()) {
            answer = applyAttributeRules(answer, table, node, domain, op, opset, at.label, findings);
        }
        if (answer.supported()) {
            if (!answer.confirmed() && unconfirmedOps.add(op)) {
                findings.add(new Finding(Rule.UNCONFIRMED_KERNEL, Severity.WARNING, at.label, op, opset, null,
                        "the " + table.target() + " table assumes a kernel for " + op + " but its author could not "
                                + "confirm it", null));
            }
            return;
        }
        String suggestion = null;
        if (domain.equals(OpSchemaRegistry.ONNX_DOMAIN) && answer.rule() != Rule.CUSTOM_DOMAIN) {
            suggestion = OpsetSuggestion.find(table, registry, node.opType(), opset, types)
                    .map(n -> "mconv convert " + modelName + " --to onnx --opset " + n).orElse(null);
        }
        if (table.fallsBackToCpu()) {
            NodeSupport.Answer onCpu = NodeSupport.check(cpu, domain, node.opType(), version, types);
            if (onCpu.supported()) {
                fallback.add(at.label);
                findings.add(new Finding(answer.rule(), Severity.FALLS_BACK, at.label, op, opset, answer.dtype(),
                        answer.reason() + "; runs on the CPU provider", suggestion));
                return;
            }
            findings.add(new Finding(answer.rule(), Severity.BLOCKS, at.label, op, opset, answer.dtype(),
                    answer.reason() + ", and the CPU provider it would fall back to has none either: "
                            + onCpu.reason(), suggestion));
            return;
        }
        findings.add(new Finding(answer.rule(), Severity.BLOCKS, at.label, op, opset, answer.dtype(),
                answer.reason(), suggestion));
    }

    /** Refusals turn a supported node into an unsupported one; caveats add a warning. */
    private static NodeSupport.Answer applyAttributeRules(NodeSupport.Answer supported, CapabilityTable table, Node node, String domain, String op,
                                                          int opset, String label, List<Finding> findings) {
        for (AttributeRule rule : table.attributeRules()) {
            Long value = rule.attribute() == null ? null : node.attribute(rule.attribute())
                    .filter(a -> a.kind() == io.mconv.ir.AttributeKind.INT).map(a -> a.asInt()).orElse(null);
            if (!rule.matches(domain, node.opType(), value)) {
                continue;
            }
            if (rule.refuse()) {
                return new NodeSupport.Answer(false, true, Rule.ATTRIBUTE, null, table.target() + " refuses " + op
                        + " with " + rule.attribute() + "=" + rule.value() + ": " + rule.reason());
            }
            findings.add(new Finding(Rule.CAVEAT, Severity.WARNING, label, op, opset, null, rule.reason(), null));
        }
        return supported;
    }

    /** A node and how reports name it: its own name, or {@code Op#n} (with the enclosing node for subgraphs). */
    private record NodeAt(Node node, String label) {
    }

    private static List<NodeAt> nodes(Graph graph) {
        List<NodeAt> out = new ArrayList<>();
        collect(graph, "", out);
        return out;
    }

    private static void collect(Graph graph, String prefix, List<NodeAt> out) {
        int index = 0;
        for (Node n : graph) {
            String label = prefix + (n.name().isEmpty() ? n.opType() + "#" + index : n.name());
            out.add(new NodeAt(n, label));
            for (Graph sub : n.subgraphs()) {
                collect(sub, label + "/", out);
            }
            index++;
        }
    }

    private static int countNodes(Graph graph) {
        return nodes(graph).size();
    }

    private static Map<String, Integer> opsets(Model model) {
        Map<String, Integer> out = new LinkedHashMap<>();
        model.opsetImports().asMap().forEach((d, v) -> out.put(OpSchemaRegistry.canonicalDomain(d), v.intValue()));
        return out;
    }

    /** The facts the model-level rules need: IR version, file sizes, dynamic inputs. */
    public static ModelFacts facts(Model model, Path modelFile, Set<Path> inputFiles) {
        long irVersion = model.irVersion() == null ? 0 : model.irVersion();
        try {
            long proto = Files.size(modelFile);
            long external = 0;
            Path self = modelFile.toAbsolutePath().normalize();
            for (Path p : inputFiles) {
                if (!p.toAbsolutePath().normalize().equals(self)) {
                    external += Files.size(p);
                }
            }
            return new ModelFacts(irVersion, proto, external, dynamicInputs(model.graph()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + modelFile, e);
        }
    }

    static List<String> dynamicInputs(Graph graph) {
        List<String> out = new ArrayList<>();
        for (Value in : graph.inputs()) {
            if (in.isInitializer() || !(in.type() instanceof ValueType.TensorType t)) {
                continue;
            }
            Shape s = t.shape();
            if (s == null) {
                out.add(in.name() + "[unknown rank]");
            } else if (!s.isFullyKnown()) {
                out.add(in.name() + s);
            }
        }
        return out;
    }
}
