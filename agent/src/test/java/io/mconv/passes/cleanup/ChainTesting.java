package io.mconv.passes.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.agent.validation.ModelValidator;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Assertions and a graph-agnostic builder shared by the merge-chains and fuse-pad-into-conv tests. */
final class ChainTesting {

    static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    private ChainTesting() {
    }

    /** Writes nodes and initializers into one graph (the main graph or an If branch). */
    static final class G {
        final Graph graph;
        final String prefix;
        int counter;

        G(Graph graph, String prefix) {
            this.graph = graph;
            this.prefix = prefix;
        }

        Value longs(long... v) {
            return graph.addInitializer(Tensor.ofLongs(graph.uniqueName(prefix + "k"), new long[] {v.length}, v));
        }

        Value scalarFloat(float v) {
            return graph.addInitializer(Tensor.ofFloats(graph.uniqueName(prefix + "f"), new long[0], v));
        }

        Value weight(long... dims) {
            float[] data = new float[(int) Tensor.elementCount(dims)];
            java.util.Random r = new java.util.Random(11 + counter);
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextFloat() * 2 - 1;
            }
            return graph.addInitializer(Tensor.ofFloats(graph.uniqueName(prefix + "w"), dims, data));
        }

        Value node(String op, Value... inputs) {
            return nodeWith(op, new Attribute[0], inputs);
        }

        Value nodeWith(String op, Attribute[] attrs, Value... inputs) {
            Node n = new Node("", op, prefix + op.toLowerCase() + "_node_" + counter);
            for (Value in : inputs) {
                n.addInput(in);
            }
            for (Attribute a : attrs) {
                n.setAttribute(a);
            }
            Value out = n.addOutput(new Value(prefix + op.toLowerCase() + "_" + (counter++), null));
            graph.append(n);
            return out;
        }
    }

    interface Pattern {
        Value build(G g, Value x);
    }

    static Model model(int opset) {
        Model m = new Model(new Graph("test"));
        m.setIrVersion(8L);
        m.opsetImports().put("", opset);
        return m;
    }

    static ValueType type(DataType t, Shape s) {
        return new ValueType.TensorType(t, s);
    }

    /** {@code N} symbolic, the rest fixed: {@code shape("N", 3, 8)} (a String entry is symbolic). */
    static Shape shape(Object... dims) {
        return new Shape(Arrays.stream(dims)
                .map(d -> d instanceof String s ? Dim.symbolic(s) : Dim.of(((Number) d).longValue())).toList());
    }

    /** One input x, the pattern, its result as the only graph output (typed {@code out}). */
    static Model single(int opset, DataType in, Shape inShape, DataType out, Shape outShape, Pattern p) {
        Model m = model(opset);
        Value x = new Value("x", type(in, inShape));
        m.graph().addInput(x);
        Value y = p.build(new G(m.graph(), ""), x);
        y.setType(type(out, outShape));
        m.graph().addOutput(y);
        return m;
    }

    /** The pattern in both branches of an If on a bool input, each branch reading the outer x. */
    static Model inIf(int opset, DataType in, Shape inShape, DataType out, Shape outShape, Pattern p) {
        Model m = model(opset);
        Value x = new Value("x", type(in, inShape));
        Value cond = new Value("cond", type(DataType.BOOL, Shape.of()));
        m.graph().addInput(x);
        m.graph().addInput(cond);
        Node iff = new Node("", "If", "if");
        iff.addInput(cond);
        String[] names = {"then_branch", "else_branch"};
        Graph[] branches = {new Graph("then"), new Graph("else")};
        for (int i = 0; i < 2; i++) {
            iff.setAttribute(Attribute.ofGraph(names[i], branches[i]));
        }
        Value y = iff.addOutput(new Value("y", type(out, outShape)));
        m.graph().append(iff);
        for (int i = 0; i < 2; i++) {
            Value o = p.build(new G(branches[i], names[i] + "_"), x);
            o.setType(type(out, outShape));
            branches[i].addOutput(o);
        }
        m.graph().addOutput(y);
        return m;
    }

    /**
     * Runs the pass on a copy; checks the rewrite count, the op histogram after, the verifier, equal outputs in
     * ONNX Runtime (at each of {@code shapes} when given: symbolic dims are validated at several sizes) and that a
     * second run rewrites nothing. Returns the rewritten copy.
     */
    @SafeVarargs
    static Model assertRewrites(Pass pass, Model before, int rewrites, Map<String, Integer> opsAfter,
                                Map<String, Shape>... shapes) {
        Model after = ModelCopier.copy(before);
        PassResult r = pass.run(after, CTX);
        assertEquals(rewrites, r.rewrites(), pass.name() + " rewrites; diagnostics " + r.diagnostics());
        assertEquals(opsAfter, PassManager.histogram(after));
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        if (shapes.length == 0) {
            OrtEquivalence.assertSameOutputs(before, after);
        }
        for (Map<String, Shape> s : shapes) {
            ValidationReport report = new ModelValidator(null, s, 5).validate(before, after);
            assertTrue(report.passed(), s + ": " + report.firstFailure());
        }
        assertEquals(0, pass.run(after, CTX).rewrites(), pass.name() + " is idempotent");
        return after;
    }

    /** The pass leaves the model alone and says why (a diagnostic containing {@code reason}). */
    static void assertRefuses(Pass pass, Model model, String reason) {
        Model copy = ModelCopier.copy(model);
        Map<String, Integer> ops = PassManager.histogram(copy);
        PassResult r = pass.run(copy, CTX);
        assertEquals(0, r.rewrites(), pass.name() + " should refuse; diagnostics " + r.diagnostics());
        assertEquals(ops, PassManager.histogram(copy));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains(reason)),
                "expected a diagnostic containing '" + reason + "', got " + r.diagnostics());
    }

    /** The only node of {@code op} in the main graph. */
    static Node only(Model m, String op) {
        List<Node> found = new java.util.ArrayList<>();
        for (Node n : m.graph()) {
            if (n.opType().equals(op)) {
                found.add(n);
            }
        }
        assertEquals(1, found.size(), "one " + op);
        return found.get(0);
    }

    static Attribute ints(String name, long... v) {
        return Attribute.ofInts(name, v);
    }

    static Attribute cast(DataType to) {
        return Attribute.ofInt("to", to.code());
    }
}
