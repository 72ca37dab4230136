package io.mconv.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.testing.ModelBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {

    @Test
    void removingNodesWhileIteratingIsSafeAndKeepsUsesRight() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 4);
        Value a = b.node("Identity", x);
        Value c = b.node("Identity", a);
        Value y = b.node("Relu", c);
        b.output(y, DataType.FLOAT, 1, 4);
        Graph g = b.graph();
        int removed = 0;
        for (Node n : g) {
            if (n.opType().equals("Identity")) {
                n.output(0).replaceAllUsesWith(n.input(0));
                g.remove(n);
                removed++;
            }
        }
        assertEquals(2, removed);
        assertEquals(1, g.nodeCount());
        Node relu = g.firstNode();
        assertSame(x, relu.input(0));
        assertEquals(List.of(new Usage(relu, 0)), x.uses());
        assertTrue(GraphVerifier.check(b.model()).isEmpty(), GraphVerifier.check(b.model()).toString());
    }

    @Test
    void replacingAGraphOutputMustBeAskedFor() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value y = b.node("Identity", x);
        b.output(y, DataType.FLOAT, 2);
        Value z = b.node("Neg", x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.replaceAllUsesWith(z));
        assertTrue(e.getMessage().contains("graph output"), e.getMessage());
        y.replaceAllUsesWith(z, true);
        assertSame(z, b.graph().outputs().get(0));
        assertEquals("identity_0", z.name());
    }

    @Test
    void removingANodeWhoseOutputIsUsedIsRefused() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value y = b.node("Relu", x);
        b.output(b.node("Neg", y));
        Node relu = y.producer();
        assertThrows(IllegalStateException.class, () -> b.graph().remove(relu));
    }

    @Test
    void usesIsASnapshot() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.output(b.node("Relu", x));
        b.output(b.node("Neg", x));
        Value other = b.input("w", DataType.FLOAT, 2);
        for (Usage u : x.uses()) {
            u.node().setInput(u.inputIndex(), other);
        }
        assertEquals(0, x.uses().size());
        assertEquals(2, other.uses().size());
    }

    @Test
    void verifierCatchesOutOfOrderNodesAndStaleUses() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value y = b.node("Relu", x);
        Value z = b.node("Neg", y);
        b.output(z);
        Graph g = b.graph();
        Node neg = z.producer();
        Node relu = y.producer();
        // Move Neg before Relu by hand: the verifier must report the read before definition.
        g.unlink(neg);
        g.insertBefore(relu, neg);
        List<String> problems = GraphVerifier.check(b.model());
        assertTrue(problems.stream().anyMatch(p -> p.contains("reads 'relu_0' before it is defined")), problems.toString());
    }

    @Test
    void attributeDefaultsComeFromTheSchema() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 1, 3);
        Value y = b.node("LeakyRelu", x);
        Value s = b.node("Softmax", y);
        b.output(s);
        assertEquals(0.01f, y.producer().attr(AttrKey.ofFloat("alpha")), 1e-9);
        assertEquals(-1L, s.producer().attr(AttrKey.ofInt("axis")));
        y.producer().setAttribute(Attribute.ofFloat("alpha", 0.2f));
        assertEquals(0.2f, y.producer().attr(AttrKey.ofFloat("alpha")), 1e-9);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> y.producer().attr(AttrKey.ofInt("no_such_attribute")));
        assertTrue(e.getMessage().contains("no_such_attribute"));
    }
}
