package io.mconv.agent.optimize;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.passes.Graphs;
import io.mconv.schema.AttributeSchema;
import io.mconv.schema.OpSchema;
import io.mconv.schema.OpSchemaRegistry;
import io.mconv.schema.TypeConstraint;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Raises a model's default-domain opset when no operator it uses changed its signature in between. For each node,
 * the operator's version at the new opset must be the version it has now, or one with the same inputs, outputs and
 * attributes (names, optionality, kinds, defaults) whose type constraints only grew (Cast-19, Reshape-19 added the
 * float8 types and nothing else). Then the model means the same thing at the new opset and fusions into newer ops
 * (LayerNormalization, Gelu) become possible. Operators whose signature changed (ReduceMean's axes moved to an
 * input at 18, ...) are named in the refusal; converting them is the opset converter's job. The IR version is
 * raised to the one the new opset needs.
 */
public final class OpsetRaise {

    private final OpSchemaRegistry schemas;

    public OpsetRaise(OpSchemaRegistry schemas) {
        this.schemas = schemas;
    }

    /**
     * @throws IllegalArgumentException when the target is lower than the current opset, beyond what mconv knows,
     *                                  or when operators of the model changed meaning in between
     */
    public void raise(Model model, int target) {
        int current = model.opsetVersion("");
        if (target < current) {
            throw new IllegalArgumentException("--opset " + target + " is below the model's opset " + current
                    + "; lowering the opset is not supported");
        }
        int max = schemas.maxOpset("ai.onnx");
        if (target > max) {
            throw new IllegalArgumentException("--opset " + target + " is beyond the newest opset mconv knows (" + max
                    + ")");
        }
        if (target == current) {
            return;
        }
        TreeSet<String> changed = new TreeSet<>();
        for (Graph g : Graphs.all(model)) {
            if (g.opsetVersion("") != current) {
                continue; // function bodies with their own imports keep them
            }
            for (Node n : g) {
                if (!n.isDefaultDomain()) {
                    continue;
                }
                Optional<OpSchema> before = schemas.get("", n.opType(), current);
                Optional<OpSchema> after = schemas.get("", n.opType(), target);
                if (before.isEmpty() || after.isEmpty() || !sameSignature(before.get(), after.get())) {
                    changed.add(n.opType() + (after.isPresent() ? "-" + after.get().sinceVersion() : ""));
                }
            }
        }
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("cannot raise the opset from " + current + " to " + target
                    + ": these operators changed definition in between: " + String.join(", ", changed));
        }
        model.opsetImports().put(model.opsetImports().asMap().containsKey("ai.onnx") ? "ai.onnx" : "", target);
        long ir = requiredIrVersion(target);
        if (model.irVersion() == null || model.irVersion() < ir) {
            model.setIrVersion(ir);
        }
    }

    /**
     * Attributes added in a newer version that, by the specification, only affect types the older version did not
     * have: {@code saturate} (opset 19) applies only to conversions into the float8 types.
     */
    private static final java.util.Set<String> NEW_TYPE_ONLY_ATTRIBUTES = java.util.Set.of("Cast.saturate",
            "CastLike.saturate", "QuantizeLinear.saturate");

    /** Same inputs, outputs and attributes; every type a constraint allowed is still allowed. */
    static boolean sameSignature(OpSchema old, OpSchema newer) {
        if (old.sinceVersion() == newer.sinceVersion()) {
            return true;
        }
        java.util.Set<String> added = new java.util.TreeSet<>(newer.attributes().keySet());
        added.removeAll(old.attributes().keySet());
        added.removeIf(a -> NEW_TYPE_ONLY_ATTRIBUTES.contains(newer.name() + "." + a));
        if (!old.inputs().equals(newer.inputs()) || !old.outputs().equals(newer.outputs()) || !added.isEmpty()
                || !newer.attributes().keySet().containsAll(old.attributes().keySet())) {
            return false;
        }
        for (AttributeSchema a : old.attributes().values()) {
            AttributeSchema b = newer.attributes().get(a.name());
            if (a.kind() != b.kind() || a.required() != b.required()
                    || !java.util.Objects.deepEquals(a.defaultValue().orElse(null), b.defaultValue().orElse(null))) {
                return false;
            }
        }
        for (TypeConstraint c : old.typeConstraints().values()) {
            Optional<TypeConstraint> d = newer.typeConstraint(c.name());
            if (d.isEmpty() || !d.get().allowedTypes().containsAll(c.allowedTypes())) {
                return false;
            }
        }
        return true;
    }

    /** The IR version that introduced each opset (ONNX's versioning table). */
    static long requiredIrVersion(int opset) {
        if (opset >= 21) {
            return 10;
        }
        if (opset >= 19) {
            return 9;
        }
        if (opset >= 15) {
            return 8;
        }
        if (opset >= 13) {
            return 7;
        }
        return opset >= 12 ? 7 : opset >= 11 ? 6 : opset >= 10 ? 5 : 3;
    }
}
