package io.mconv.passes.cleanup;

import io.mconv.ir.Attribute;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Two nodes with the same operator, the same inputs (the same values, not merely equal ones) and equal attributes
 * compute the same outputs: the later one's readers read the earlier one's outputs and the later node goes.
 * Exporters repeat {@code Shape(x)}, {@code Gather(shape, i)} and friends for every use; this collapses them.
 *
 * <pre>
 * Before:  s1 = Shape(x)   s2 = Shape(x)   Gather(s1, 0)   Gather(s2, 1)
 * After:   s1 = Shape(x)                   Gather(s1, 0)   Gather(s1, 1)
 * </pre>
 *
 * Never merged: nodes holding subgraphs (If/Loop/Scan bodies are not compared), non-deterministic operators
 * (the Random* family, Multinomial, Bernoulli, Dropout, which may be in training mode), and a pair where both
 * nodes' outputs are graph outputs (the model's interface keeps distinct names). When only the later node's output
 * is a graph output, the earlier output takes over its name. Attribute values are compared exactly (floats by bit
 * pattern, tensors by content). Each graph is handled on its own, nested bodies included.
 */
public final class EliminateCommonSubexpressions implements Pass {

    private static final Set<String> NON_DETERMINISTIC = Set.of("RandomNormal", "RandomUniform", "RandomNormalLike",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout");

    @Override
    public String name() {
        return "eliminate-common-subexpressions";
    }

    @Override
    public String description() {
        return "merge nodes that compute the same thing from the same inputs";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int merged = 0;
        for (Graph g : Graphs.all(model)) {
            Map<Signature, Node> seen = new HashMap<>();
            for (Node n : g) {
                if (!n.subgraphs().isEmpty() || (n.isDefaultDomain() && NON_DETERMINISTIC.contains(n.opType()))) {
                    continue;
                }
                Signature sig = Signature.of(n);
                Node earlier = seen.putIfAbsent(sig, n);
                if (earlier != null && mergeInto(earlier, n, g)) {
                    merged++;
                }
            }
        }
        return PassResult.of(merged);
    }

    /** Routes {@code later}'s readers to {@code earlier}'s outputs and removes it; false when refused. */
    private static boolean mergeInto(Node earlier, Node later, Graph g) {
        if (earlier.outputCount() != later.outputCount()) {
            return false;
        }
        for (int i = 0; i < later.outputCount(); i++) {
            Value a = earlier.output(i);
            Value b = later.output(i);
            if (b != null && (a == null || (a.isGraphOutput() && b.isGraphOutput()))) {
                return false;
            }
        }
        for (int i = 0; i < later.outputCount(); i++) {
            Value b = later.output(i);
            if (b != null) {
                if (b.isGraphOutput()) {
                    // The earlier value takes over the output's name; the later one is dropped with its node.
                    b.replaceAllUsesWith(earlier.output(i), true);
                } else {
                    b.replaceAllUsesWith(earlier.output(i));
                }
            }
        }
        g.remove(later);
        return true;
    }

    /** What makes two nodes interchangeable: op identity, input identities and attribute values. */
    private record Signature(String op, List<Value> inputs, String attributes) {

        static Signature of(Node n) {
            String op = n.domain() + "::" + n.opType() + ":" + Objects.toString(n.overload(), "") + "/"
                    + n.outputCount();
            return new Signature(op, Arrays.asList(n.inputs().toArray(new Value[0])), attributes(n));
        }

        private static String attributes(Node n) {
            TreeMap<String, String> sorted = new TreeMap<>();
            for (Attribute a : n.attributes()) {
                sorted.put(a.name(), canonical(a));
            }
            return sorted.toString();
        }

        private static String canonical(Attribute a) {
            if (a.isReference()) {
                return "@" + a.refAttrName();
            }
            return switch (a.kind()) {
                case FLOAT -> "f" + Float.floatToRawIntBits(a.asFloat());
                case FLOATS -> {
                    List<Integer> bits = new ArrayList<>();
                    for (float f : a.asFloats()) {
                        bits.add(Float.floatToRawIntBits(f));
                    }
                    yield "F" + bits;
                }
                case TENSOR -> "t" + a.asTensor().dataType() + Arrays.toString(a.asTensor().dims())
                        + (a.asTensor().dataType() == io.mconv.ir.DataType.STRING ? a.asTensor().stringsUtf8()
                        : a.asTensor().rawBytes().hashCode() + ":" + System.identityHashCode(a.asTensor()));
                default -> a.kind() + a.toString();
            };
        }

        // Lists of values compare by identity: Value does not override equals.
    }
}
