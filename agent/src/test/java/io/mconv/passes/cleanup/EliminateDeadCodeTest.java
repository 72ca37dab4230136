package io.mconv.passes.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EliminateDeadCodeTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    @Test
    void removesDeadChainsAndUnusedInitializersAndKeepsOutputs() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value w = b.weight("w", 2, 3);
        b.weight("unused", 4);
        Value y = b.node("Add", x, w);
        Value dead1 = b.node("Neg", y);
        b.node("Abs", dead1);
        b.output(b.node("Relu", y), DataType.FLOAT, 2, 3);
        Model before = b.model();
        Model after = ModelCopier.copy(before);

        assertEquals(3, new EliminateDeadCode().run(after, CTX).rewrites(), "Neg, Abs and the unused initializer");
        assertEquals(Map.of("Add", 1, "Relu", 1), PassManager.histogram(after));
        assertEquals(List.of("w"), List.copyOf(after.graph().initializers().keySet()));
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        OrtEquivalence.assertSameOutputs(before, after);
        assertEquals(0, new EliminateDeadCode().run(after, CTX).rewrites(), "idempotent");
    }

    @Test
    void keepsUnusedGraphInputsAndNodesWhoseOutputIsAGraphOutput() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.input("unused_input", DataType.FLOAT, 2);
        Value y = b.node("Relu", x);
        b.output(y, DataType.FLOAT, 2);
        b.output(b.node("Neg", y), DataType.FLOAT, 2);
        assertEquals(0, new EliminateDeadCode().run(b.model(), CTX).rewrites());
        assertEquals(2, b.graph().inputs().size());
    }

    @Test
    void outerValuesReadOnlyBySubgraphsStayAndDeadNodesInBodiesGo() {
        ModelBuilder b = new ModelBuilder(17);
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value outer = b.node("Relu", x); // read only inside the branches
        Graph thenBranch = new Graph("then");
        Node deadInBody = new Node("", "Neg", "dead_in_body");
        deadInBody.addInput(outer);
        deadInBody.addOutput(new Value("dead_out", null));
        Node abs = new Node("", "Abs", "abs_in_body");
        abs.addInput(outer);
        Value thenOut = abs.addOutput(new Value("then_out", null));
        Graph elseBranch = new Graph("else");
        Node ident = new Node("", "Identity", "ident_in_body");
        ident.addInput(outer);
        Value elseOut = ident.addOutput(new Value("else_out", null));
        Node iff = new Node("", "If", "if");
        iff.addInput(cond);
        iff.setAttribute(Attribute.ofGraph("then_branch", thenBranch));
        iff.setAttribute(Attribute.ofGraph("else_branch", elseBranch));
        Value y = iff.addOutput(new Value("y", null));
        b.graph().append(iff);
        thenBranch.append(deadInBody);
        thenBranch.append(abs);
        thenBranch.addOutput(thenOut);
        elseBranch.append(ident);
        elseBranch.addOutput(elseOut);
        b.output(y, DataType.FLOAT, 2);
        Model before = ModelCopier.copy(b.model());

        assertEquals(1, new EliminateDeadCode().run(b.model(), CTX).rewrites(), "only the Neg in the then-branch");
        assertTrue(outer.producer().graph() == b.graph(), "the outer Relu is read by the branches and stays");
        assertTrue(GraphVerifier.check(b.model()).isEmpty(), GraphVerifier.check(b.model()).toString());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }
}
