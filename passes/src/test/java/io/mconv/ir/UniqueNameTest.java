package io.mconv.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mconv.ir.testing.ModelBuilder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Graph#uniqueName}: free names as asked, suffixed otherwise, never handed out twice, whole model seen. */
class UniqueNameTest {

    @Test
    void aFreeBaseIsReturnedAsItIsAndATakenOneGetsTheSmallestFreeSuffix() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.output(b.node("Relu", x));
        b.input("x_1", DataType.FLOAT, 2);
        Graph g = b.graph();
        assertEquals("y", g.uniqueName("y"));
        assertEquals("x_2", g.uniqueName("x"));
        assertEquals("relu_0_1", g.uniqueName("relu_0"));
    }

    @Test
    void aNameIsReservedOnceHandedOutEvenBeforeAValueTakesIt() {
        Graph g = new ModelBuilder(17).graph();
        assertEquals("t", g.uniqueName("t"));
        assertEquals("t_1", g.uniqueName("t"));
        assertEquals("t_2", g.uniqueName("t"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            names.add(g.uniqueName("q"));
        }
        assertEquals(20_000, names.size());
        assertEquals("q_20000", g.uniqueName("q"));
    }

    @Test
    void namesThatArriveAfterTheFirstCallAreSeen() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Graph g = b.graph();
        assertEquals("x_1", g.uniqueName("x"));
        Value relu = b.node("Relu", x);
        assertEquals("relu_0_1", g.uniqueName(relu.name()), "a node appended after the first call");
        b.input("late", DataType.FLOAT, 2);
        assertEquals("late_1", g.uniqueName("late"), "an input added after the first call");
        b.weight("w", 2);
        assertEquals("w_1", g.uniqueName("w"), "an initializer added after the first call");
        relu.setName("renamed");
        assertEquals("renamed_1", g.uniqueName("renamed"), "a value renamed after the first call");
        Node split = new Node("", "Split", "split");
        split.addInput(relu);
        g.append(split);
        split.addOutput(new Value("second", null));
        assertEquals("second_1", g.uniqueName("second"), "an output added to a node already in the graph");
        b.output(relu);
    }

    @Test
    void subgraphsShareTheirOuterGraphsNamesBothWays() {
        ModelBuilder b = new ModelBuilder(17);
        Value cond = b.input("cond", DataType.BOOL);
        Graph g = b.graph();
        assertEquals("cond_1", g.uniqueName("cond"));
        Graph thenBranch = branch("then_out");
        Graph elseBranch = branch("else_out");
        Node ifNode = new Node("", "If", "if");
        ifNode.addInput(cond);
        ifNode.setAttribute(Attribute.ofGraph("then_branch", thenBranch));
        ifNode.addOutput(new Value("if_out", null));
        g.append(ifNode);
        assertEquals("then_out_1", g.uniqueName("then_out"), "a branch's value, from the outer graph");
        assertEquals("if_out_1", thenBranch.uniqueName("if_out"), "an outer value, from the branch");
        ifNode.setAttribute(Attribute.ofGraph("else_branch", elseBranch));
        assertEquals(g, elseBranch.outerGraph());
        assertEquals("else_out_1", g.uniqueName("else_out"), "a branch given to a node already in the graph");
        Value inner = new Value("inner", null);
        Node neg = new Node("", "Neg", "neg");
        neg.addInput(cond);
        neg.addOutput(inner);
        thenBranch.append(neg);
        assertEquals("inner_1", g.uniqueName("inner"), "a node added inside a branch after the first call");
        assertNotEquals("inner", elseBranch.uniqueName("inner"));
    }

    private static Graph branch(String outputName) {
        Graph body = new Graph("body");
        Node c = new Node("", "Constant", outputName + "_node");
        c.setAttribute(Attribute.ofTensor("value", Tensor.ofFloats("v", new long[] {1}, new float[] {1f})));
        Value out = c.addOutput(new Value(outputName, null));
        body.append(c);
        body.addOutput(out);
        return body;
    }
}
