package io.mconv.passes.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
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
import java.util.Map;
import java.util.Random;

/**
 * Test support for the fusion passes: a small builder that writes nodes into any graph (so one pattern can be built
 * in the main graph or inside an If branch), and the standard assertions (rewrite count, op counts after, verifier,
 * ORT equivalence, idempotence; or a refusal with its reason).
 */
final class FusionTesting {

    static final PassContext CTX = PassContext.of(OptimizationLevel.AGGRESSIVE, Target.PORTABLE);

    private FusionTesting() {
    }

    /** Writes nodes and initializers into one graph; names carry a prefix so two branches never clash. */
    static final class G {
        final Graph graph;
        final String prefix;
        final Random random;
        int counter;

        G(Graph graph, String prefix, long seed) {
            this.graph = graph;
            this.prefix = prefix;
            this.random = new Random(seed);
        }

        Value weight(String name, long... dims) {
            float[] data = new float[(int) Tensor.elementCount(dims)];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextFloat() * 2 - 1;
            }
            return constant(Tensor.ofFloats(prefix + name, dims, data));
        }

        /** Seeded values in [lo, hi). */
        Value weightIn(String name, float lo, float hi, long... dims) {
            float[] data = new float[(int) Tensor.elementCount(dims)];
            for (int i = 0; i < data.length; i++) {
                data[i] = lo + random.nextFloat() * (hi - lo);
            }
            return constant(Tensor.ofFloats(prefix + name, dims, data));
        }

        Value scalar(float v) {
            return constant(Tensor.ofFloats(prefix + "c" + (counter++), new long[0], v));
        }

        Value constant(Tensor t) {
            return graph.addInitializer(t.withName(graph.uniqueName(t.name().isEmpty() ? prefix + "k" : t.name())));
        }

        /** A Constant node (as torch exports scalars) holding a float scalar. */
        Value constantNode(float v) {
            return nodeWith("Constant", new Attribute[] {Attribute.ofTensor("value",
                    Tensor.ofFloats("", new long[0], v))});
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
        /** Builds the pattern reading {@code x} and returns the value that becomes the output. */
        Value build(G g, Value x);
    }

    static ValueType floatType(long... dims) {
        return new ValueType.TensorType(DataType.FLOAT, Shape.of(dims));
    }

    static Model model(int opset) {
        Graph graph = new Graph("test");
        Model m = new Model(graph);
        m.setIrVersion(8L);
        m.opsetImports().put("", opset);
        return m;
    }

    /** One float input x of {@code in} dims, the pattern, one output of {@code out} dims. */
    static Model single(int opset, long[] in, long[] out, Pattern p) {
        Model m = model(opset);
        Value x = new Value("x", floatType(in));
        m.graph().addInput(x);
        Value y = p.build(new G(m.graph(), "", 42), x);
        y.setType(floatType(out));
        m.graph().addOutput(y);
        return m;
    }

    /** The pattern in both branches of an If on a bool input (each branch its own copy, reading the outer x). */
    static Model inIf(int opset, long[] in, long[] out, Pattern p) {
        Model m = model(opset);
        Value x = new Value("x", floatType(in));
        Value cond = new Value("cond", new ValueType.TensorType(DataType.BOOL, Shape.of()));
        m.graph().addInput(x);
        m.graph().addInput(cond);
        Node iff = new Node("", "If", "if");
        iff.addInput(cond);
        Graph[] branches = {new Graph("then"), new Graph("else")};
        String[] names = {"then_branch", "else_branch"};
        for (int i = 0; i < 2; i++) {
            iff.setAttribute(Attribute.ofGraph(names[i], branches[i]));
        }
        Value y = iff.addOutput(new Value("y", floatType(out)));
        m.graph().append(iff);
        for (int i = 0; i < 2; i++) {
            Value o = p.build(new G(branches[i], names[i] + "_", 42 + i), x);
            o.setType(floatType(out));
            branches[i].addOutput(o);
        }
        m.graph().addOutput(y);
        return m;
    }

    /** Runs the pass on a copy and checks count, ops, verifier, ORT outputs and a second run; returns the copy. */
    static Model assertFuses(Pass pass, Model before, int rewrites, Map<String, Integer> opsAfter) {
        return assertFuses(pass, before, rewrites, opsAfter, null);
    }

    static Model assertFuses(Pass pass, Model before, int rewrites, Map<String, Integer> opsAfter, Tolerance tol) {
        Model after = ModelCopier.copy(before);
        PassResult r = pass.run(after, CTX);
        assertEquals(rewrites, r.rewrites(), pass.name() + " rewrites; diagnostics " + r.diagnostics());
        if (opsAfter != null) {
            assertEquals(opsAfter, PassManager.histogram(after));
        }
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        OrtEquivalence.assertSameOutputs(before, after, tol);
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

    static Attribute ints(String name, long... v) {
        return Attribute.ofInts(name, v);
    }
}
