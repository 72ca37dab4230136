package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.schema.AttributeSchema;
import io.mconv.schema.FormalParameter;
import io.mconv.schema.OpSchema;
import io.mconv.schema.TypeConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What holds for every operator, adapted or not, once it is in its target form: its attributes exist at the target
 * version (one the target lacks is dropped only when it holds the value the source version defaulted to), an
 * attribute whose default changed in between is spelled out with the old default, its inputs and outputs fit the
 * target's formal parameters, and its input element types (where inference knew them) are allowed there.
 */
final class SignatureCheck {

    private SignatureCheck() {
    }

    /**
     * @param source the operator's version at the source opset, or null when the node changed operator
     * @param adapted whether an adapter rewrote the node's inputs into the target form (else they must already fit)
     * @return the problems, empty when the node is valid at the target version
     */
    static List<String> apply(Node node, OpSchema source, OpSchema target, boolean adapted) {
        List<String> problems = new ArrayList<>();
        if (source != null && !adapted && !sameParameters(source.inputs(), target.inputs())) {
            problems.add(target.name() + "-" + target.sinceVersion() + " takes different inputs than "
                    + source.name() + "-" + source.sinceVersion() + " and no rewrite between them is known");
            return problems;
        }
        for (Attribute a : List.copyOf(node.attributes())) {
            if (target.attribute(a.name()).isPresent()) {
                continue;
            }
            Optional<Object> old = source == null ? Optional.empty()
                    : source.attribute(a.name()).flatMap(AttributeSchema::defaultValue);
            if (old.isPresent() && holds(a, old.get())) {
                node.removeAttribute(a.name());
            } else {
                problems.add("attribute '" + a.name() + "' has no equivalent in " + target.name() + "-"
                        + target.sinceVersion());
            }
        }
        if (source != null) {
            for (AttributeSchema t : target.attributes().values()) {
                Optional<AttributeSchema> s = source.attribute(t.name());
                if (s.isPresent() && s.get().defaultValue().isPresent() && node.attribute(t.name()).isEmpty()
                        && !Objects.deepEquals(s.get().defaultValue().get(), t.defaultValue().orElse(null))) {
                    node.setAttribute(spelledOut(t.name(), s.get().defaultValue().get()));
                }
            }
        }
        for (AttributeSchema t : target.attributes().values()) {
            if (t.required() && node.attribute(t.name()).isEmpty()) {
                problems.add("required attribute '" + t.name() + "' of " + target.name() + "-"
                        + target.sinceVersion() + " is missing");
            }
        }
        NodeEditor.trimTrailingAbsent(node);
        if (node.inputCount() > target.maxInputs()) {
            problems.add(node.inputCount() + " inputs, " + target.name() + "-" + target.sinceVersion() + " takes at "
                    + "most " + target.maxInputs());
        }
        if (node.outputCount() > target.maxOutputs()) {
            problems.add(node.outputCount() + " outputs, " + target.name() + "-" + target.sinceVersion()
                    + " has at most " + target.maxOutputs());
        }
        for (int i = 0; i < node.inputCount(); i++) {
            FormalParameter p = formal(target, i);
            if (p == null) {
                continue;
            }
            if (node.input(i) == null && p.option() == FormalParameter.Option.SINGLE) {
                problems.add("required input '" + p.name() + "' is missing");
            } else if (!typeAllowed(node.input(i), p, target)) {
                problems.add("input '" + p.name() + "' of type " + NodeEditor.elemType(node.input(i))
                        + " is not allowed in " + target.name() + "-" + target.sinceVersion());
            }
        }
        if (node.inputCount() < target.minInputs()) {
            problems.add(node.inputCount() + " inputs, " + target.name() + "-" + target.sinceVersion() + " needs "
                    + target.minInputs());
        }
        return problems;
    }

    /** Same positions with the same names and arity; types may differ (they are checked per input). */
    private static boolean sameParameters(List<FormalParameter> a, List<FormalParameter> b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            if (!a.get(i).name().equals(b.get(i).name()) || a.get(i).isVariadic() != b.get(i).isVariadic()) {
                return false;
            }
        }
        // Trailing parameters may only be added as optional ones (newer versions) or be unused (older ones).
        return b.subList(common, b.size()).stream().allMatch(p -> p.option() != FormalParameter.Option.SINGLE);
    }

    private static FormalParameter formal(OpSchema schema, int index) {
        if (index < schema.inputs().size()) {
            return schema.inputs().get(index);
        }
        FormalParameter last = schema.inputs().isEmpty() ? null : schema.inputs().get(schema.inputs().size() - 1);
        return last != null && last.isVariadic() ? last : null;
    }

    private static boolean typeAllowed(Value v, FormalParameter p, OpSchema schema) {
        DataType type = NodeEditor.elemType(v);
        if (type == null) {
            return true;
        }
        String spelled = "tensor(" + onnxName(type) + ")";
        Optional<TypeConstraint> c = schema.typeConstraint(p.typeString());
        if (c.isPresent()) {
            // A constraint also listing sequences or optionals is left to the runtime; tensors are judged.
            return c.get().allowedTypes().stream().noneMatch(t -> t.startsWith("tensor(")) || c.get().allows(spelled);
        }
        return !p.typeString().startsWith("tensor(") || p.typeString().equals(spelled);
    }

    private static String onnxName(DataType type) {
        return switch (type) {
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static boolean holds(Attribute a, Object value) {
        return switch (a.kind()) {
            case INT -> value instanceof Long l && a.asInt() == l;
            case FLOAT -> value instanceof Float f && a.asFloat() == f;
            case STRING -> value instanceof String s && a.asString().equals(s);
            case INTS -> value instanceof long[] l && Arrays.equals(a.asInts(), l);
            case FLOATS -> value instanceof float[] f && Arrays.equals(a.asFloats(), f);
            default -> false;
        };
    }

    private static Attribute spelledOut(String name, Object value) {
        if (value instanceof Long l) {
            return Attribute.ofInt(name, l);
        }
        if (value instanceof Float f) {
            return Attribute.ofFloat(name, f);
        }
        if (value instanceof String s) {
            return Attribute.ofString(name, s);
        }
        if (value instanceof long[] l) {
            return Attribute.ofInts(name, l);
        }
        if (value instanceof float[] f) {
            return Attribute.ofFloats(name, f);
        }
        throw new Refusal("the default of '" + name + "' changed and cannot be written out");
    }
}
