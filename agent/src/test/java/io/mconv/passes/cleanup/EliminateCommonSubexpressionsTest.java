package io.mconv.passes.cleanup;

import static io.mconv.passes.cleanup.EliminateNoOpTest.assertSound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EliminateCommonSubexpressionsTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    @Test
    void mergesTwinsAndTheirUsersInOneSweep() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Attribute[] alpha = {Attribute.ofFloat("alpha", 0.1f)};
        Value a1 = b.nodeWith("LeakyRelu", alpha, x);
        Value a2 = b.nodeWith("LeakyRelu", new Attribute[] {Attribute.ofFloat("alpha", 0.1f)}, x);
        Value a3 = b.nodeWith("LeakyRelu", new Attribute[] {Attribute.ofFloat("alpha", 0.2f)}, x); // differs
        Value n1 = b.node("Neg", a1);
        Value n2 = b.node("Neg", a2); // becomes a twin of n1 once a2 is merged
        Tensor c = Tensor.ofFloats("c", new long[] {1}, 3f);
        Value k1 = b.nodeWith("Constant", new Attribute[] {Attribute.ofTensor("value", c)});
        Value k2 = b.nodeWith("Constant", new Attribute[] {Attribute.ofTensor("value", c.withName("other"))});
        Value s = b.node("Sum", n1, n2, a3, k1, k2);
        b.output(s, DataType.FLOAT, 2, 3);
        Model before = ModelCopier.copy(b.model());

        PassResult r = new EliminateCommonSubexpressions().run(b.model(), CTX);
        assertEquals(3, r.rewrites(), "LeakyRelu, Neg, Constant");
        assertEquals(Map.of("LeakyRelu", 2, "Neg", 1, "Constant", 1, "Sum", 1), PassManager.histogram(b.model()));
        Node sum = s.producer();
        assertTrue(sum.input(0) == sum.input(1) && sum.input(3) == sum.input(4));
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
        assertEquals(0, new EliminateCommonSubexpressions().run(b.model(), CTX).rewrites(), "idempotent");
    }

    @Test
    void graphOutputsKeepTheirNames() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value inner = b.node("Relu", x);
        Value twinOut = b.node("Relu", x);
        twinOut.setName("y");
        Value o1 = b.node("Abs", x);
        o1.setName("o1");
        Value o2 = b.node("Abs", x);
        o2.setName("o2");
        b.output(b.node("Neg", inner), DataType.FLOAT, 2);
        b.output(twinOut, DataType.FLOAT, 2);
        b.output(o1, DataType.FLOAT, 2);
        b.output(o2, DataType.FLOAT, 2);
        List<String> names = b.graph().outputs().stream().map(Value::name).toList();
        Model before = ModelCopier.copy(b.model());

        PassResult r = new EliminateCommonSubexpressions().run(b.model(), CTX);
        assertEquals(1, r.rewrites(), "the Relus; both Abs outputs are named outputs");
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("are graph outputs")), r.diagnostics().toString());
        assertEquals(names, b.graph().outputs().stream().map(Value::name).toList());
        assertEquals(Map.of("Relu", 1, "Abs", 2, "Neg", 1), PassManager.histogram(b.model()));
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    @Test
    void neverMergesRandomOpsTrainingDropoutsOrSubgraphHolders() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value cond = b.input("cond", DataType.BOOL);
        Value r1 = b.node("RandomNormalLike", x);
        Value r2 = b.node("RandomNormalLike", x);
        Value train = b.input("train", DataType.BOOL);
        Value d1 = b.node("Dropout", x, null, train);
        Value d2 = b.node("Dropout", x, null, train);
        Value i1 = ifNode(b, cond, x);
        Value i2 = ifNode(b, cond, x);
        b.output(b.node("Sum", r1, r2, d1, d2, i1, i2), DataType.FLOAT, 2);
        PassResult r = new EliminateCommonSubexpressions().run(b.model(), CTX);
        assertEquals(0, r.rewrites());
        assertEquals(2, PassManager.histogram(b.model()).get("RandomNormalLike"));
        assertEquals(2, PassManager.histogram(b.model()).get("Dropout"));
        assertEquals(2, PassManager.histogram(b.model()).get("If"));
    }

    @Test
    void twinsInsideASubgraphAreMerged() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value cond = b.input("cond", DataType.BOOL);
        Graph body = new Graph("then");
        Node e1 = new Node("", "Exp", "e1");
        e1.addInput(x);
        Value v1 = e1.addOutput(new Value("e1_out", null));
        Node e2 = new Node("", "Exp", "e2");
        e2.addInput(x);
        Value v2 = e2.addOutput(new Value("e2_out", null));
        Node add = new Node("", "Add", "add");
        add.addInput(v1);
        add.addInput(v2);
        Value out = add.addOutput(new Value("then_out", null));
        Graph other = new Graph("else");
        Node neg = new Node("", "Neg", "neg");
        neg.addInput(x);
        Value elseOut = neg.addOutput(new Value("else_out", null));
        Node iff = new Node("", "If", "if");
        iff.addInput(cond);
        iff.setAttribute(Attribute.ofGraph("then_branch", body));
        iff.setAttribute(Attribute.ofGraph("else_branch", other));
        Value y = iff.addOutput(new Value("y", null));
        b.graph().append(iff);
        body.append(e1);
        body.append(e2);
        body.append(add);
        body.addOutput(out);
        other.append(neg);
        other.addOutput(elseOut);
        b.output(y, DataType.FLOAT, 2);
        Model before = ModelCopier.copy(b.model());
        assertEquals(1, new EliminateCommonSubexpressions().run(b.model(), CTX).rewrites());
        assertEquals(2, body.nodeCount());
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    static Value ifNode(ModelBuilder b, Value cond, Value x) {
        Graph t = new Graph("t");
        Node n = new Node("", "Neg", b.graph().uniqueName("neg"));
        n.addInput(x);
        Value tOut = n.addOutput(new Value(b.graph().uniqueName("t_out"), null));
        Graph e = new Graph("e");
        Node m = new Node("", "Abs", b.graph().uniqueName("abs"));
        m.addInput(x);
        Value eOut = m.addOutput(new Value(b.graph().uniqueName("e_out") + "_e", null));
        Node iff = new Node("", "If", b.graph().uniqueName("if"));
        iff.addInput(cond);
        iff.setAttribute(Attribute.ofGraph("then_branch", t));
        iff.setAttribute(Attribute.ofGraph("else_branch", e));
        Value y = iff.addOutput(new Value(b.graph().uniqueName("if_out"), null));
        b.graph().append(iff);
        t.append(n);
        t.addOutput(tOut);
        e.append(m);
        e.addOutput(eOut);
        return y;
    }
}
