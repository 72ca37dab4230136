package io.mconv.shape;

import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shape and type inference over the IR. Walks the nodes in order (recursing into subgraphs first) and asks the
 * {@link ShapeRules} table for each op of the default domain. Outputs a model declares keep their declared type;
 * inference only fills what is missing and refines unknown dimensions. Ops without a rule, and rules that cannot
 * decide, leave outputs untyped; they are counted, never an exception.
 */
public final class ShapeInference {

    private ShapeInference() {
    }

    /** Inference with the standard rules. */
    public static ShapeInferenceResult infer(Model model, Map<String, Shape> inputOverrides) {
        return infer(model, inputOverrides, ShapeRules.standard());
    }

    /**
     * @param inputOverrides fixed shapes for graph inputs by name (the CLI's {@code --input-shape}); each must
     *                       name a graph input and keep its declared rank
     * @throws IllegalArgumentException when an override names no graph input or changes its rank
     */
    public static ShapeInferenceResult infer(Model model, Map<String, Shape> inputOverrides, ShapeRules rules) {
        Graph g = model.graph();
        applyOverrides(g, inputOverrides == null ? Map.of() : inputOverrides);
        InferenceContext ctx = new InferenceContext();
        Map<String, Integer> uninferred = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        walk(g, ctx, rules, uninferred, unknown);
        return new ShapeInferenceResult(ctx.typedCount(), unknown, new TreeMap<>(uninferred), ctx.warnings());
    }

    /**
     * Types the outputs of one node of the default domain from its inputs, for code that builds a graph node by node
     * (the TorchScript exporter) and needs each result's type before emitting the next. Keep one context for the
     * whole graph so that shape values (the outputs of Shape, Gather on shapes) flow from node to node.
     *
     * @return true when a rule ran without a warning; false when there is no rule or it could not decide
     */
    public static boolean inferNode(Node node, InferenceContext ctx, ShapeRules rules) {
        if (!node.isDefaultDomain()) {
            return false;
        }
        ShapeRule rule = rules.get(node.opType()).orElse(null);
        if (rule == null) {
            return false;
        }
        int warningsBefore = ctx.warnings().size();
        try {
            rule.infer(node, ctx);
        } catch (ShapeInferenceException e) {
            ctx.warn(node, e.getMessage());
        } catch (RuntimeException e) {
            ctx.warn(node, "shape rule failed: " + e);
        }
        return ctx.warnings().size() == warningsBefore;
    }

    private static void applyOverrides(Graph g, Map<String, Shape> overrides) {
        for (Map.Entry<String, Shape> e : overrides.entrySet()) {
            Value input = null;
            for (Value v : g.inputs()) {
                if (v.name().equals(e.getKey())) {
                    input = v;
                }
            }
            if (input == null) {
                throw new IllegalArgumentException("--input-shape names '" + e.getKey()
                        + "', which is not a graph input (inputs: "
                        + g.inputs().stream().map(Value::name).toList() + ")");
            }
            Shape declared = input.shape();
            Shape given = e.getValue();
            if (declared != null && declared.rank() != given.rank()) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' has rank " + declared.rank() + " ("
                        + declared + ") but the override " + given + " has rank " + given.rank());
            }
            for (Dim d : given.dims()) {
                if (d.isKnown() && d.value() < 0) {
                    throw new IllegalArgumentException("input '" + e.getKey() + "': negative dimension in " + given);
                }
            }
            ValueType t = input.type();
            if (t != null && !(t instanceof ValueType.TensorType)) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' is not a tensor: " + t);
            }
            ValueType.TensorType tt = (ValueType.TensorType) t;
            input.setType(new ValueType.TensorType(tt == null ? null : tt.elemType(), given,
                    tt == null ? null : tt.denotation()));
        }
    }

    private static void walk(Graph g, InferenceContext ctx, ShapeRules rules, Map<String, Integer> uninferred,
                             List<String> unknown) {
        for (Node node : g) {
            for (Graph sub : node.subgraphs()) {
                walk(sub, ctx, rules, uninferred, unknown);
            }
            boolean ran = false;
            if (node.isDefaultDomain()) {
                ShapeRule rule = rules.get(node.opType()).orElse(null);
                if (rule != null) {
                    ran = true;
                    try {
                        rule.infer(node, ctx);
                    } catch (ShapeInferenceException e) {
                        ctx.warn(node, e.getMessage());
                    } catch (RuntimeException e) {
                        ctx.warn(node, "shape rule failed: " + e);
                    }
                }
            }
            boolean complete = ran;
            for (Value out : node.outputs()) {
                if (out == null) {
                    continue;
                }
                if (!ctx.wasInferred(out)) {
                    complete = false;
                }
                if (out.shape() == null) {
                    unknown.add(out.name());
                }
            }
            if (!complete) {
                String key = node.isDefaultDomain() ? node.opType() : node.domain() + "::" + node.opType();
                uninferred.merge(key, 1, Integer::sum);
            }
        }
    }
}
