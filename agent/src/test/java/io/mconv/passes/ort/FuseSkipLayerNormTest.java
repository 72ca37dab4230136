package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtTestSupport.attrs;
import static io.mconv.passes.ort.OrtTestSupport.fuse;
import static io.mconv.passes.ort.OrtTestSupport.ops;
import static io.mconv.passes.ort.OrtTestSupport.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.Pass;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FuseSkipLayerNormTest {

    private static final Pass PASS = FuseSkipLayerNorm.pass();

    private static Value ln(ModelBuilder b, Value s, int d) {
        return b.nodeWith("LayerNormalization", attrs(Attribute.ofFloat("epsilon", 1e-6f)), s,
                b.weight(b.graph().uniqueName("gamma"), d), b.weight(b.graph().uniqueName("beta"), d));
    }

    @Test
    void addThenLayerNormBecomesSkipLayerNormalization() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 5, 16);
        Value skip = b.input("skip", DataType.FLOAT, 2, 5, 16);
        b.output(ln(b, b.node("Add", x, skip), 16), DataType.FLOAT, 2, 5, 16);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("com.microsoft::SkipLayerNormalization", 1), ops(after));
        Node sln = after.graph().firstNode();
        assertEquals(1e-6f, sln.attribute("epsilon").orElseThrow().asFloat());
        assertEquals(1, sln.outputCount(), "no sum output needed");
    }

    @Test
    void aSumReadByALaterResidualComesFromTheFourthOutputAndTheBiasIsFolded() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 5, 16);
        Value h = b.node("Add", b.node("MatMul", x, b.weight("w", 16, 16)), b.weight("bias", 16));
        Value s = b.node("Add", h, b.input("skip", DataType.FLOAT, 1, 5, 16));
        Value y = ln(b, s, 16);
        b.output(b.node("Add", y, s), DataType.FLOAT, 2, 5, 16);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("MatMul", 1, "Add", 1, "com.microsoft::SkipLayerNormalization", 1), ops(after));
        Node sln = after.graph().nodes().get(1);
        assertEquals(5, sln.inputCount(), "input, skip, gamma, beta, bias");
        assertEquals(4, sln.outputCount());
        assertNull(sln.output(1));
        assertNull(sln.output(2));
        assertTrue(sln.output(3).hasUses(), "input_skip_bias_sum feeds the residual");
    }

    @Test
    void sumThatIsAGraphOutputIsServedByTheFourthOutput() {
        ModelBuilder b = new ModelBuilder(17);
        Value s = b.node("Add", b.input("x", DataType.FLOAT, 1, 3, 8), b.input("skip", DataType.FLOAT, 3, 8));
        b.output(ln(b, s, 8), DataType.FLOAT, 1, 3, 8);
        b.output(s, DataType.FLOAT, 1, 3, 8);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("com.microsoft::SkipLayerNormalization", 1), ops(after));
        assertEquals(s.name(), after.graph().outputs().get(1).name(), "output names kept");
    }

    @Test
    void refusals() {
        // not the last axis
        ModelBuilder a = new ModelBuilder(17);
        Value s = a.node("Add", a.input("x", DataType.FLOAT, 2, 4, 8), a.input("y", DataType.FLOAT, 2, 4, 8));
        a.output(a.nodeWith("LayerNormalization", attrs(Attribute.ofInt("axis", 1)), s, a.weight("g", 4, 8)),
                DataType.FLOAT, 2, 4, 8);
        assertTrue(refusal(PASS, a.model()).contains("is not the last axis"));
        // rank 2: the contrib kernel wants rank 3
        ModelBuilder r = new ModelBuilder(17);
        Value s2 = r.node("Add", r.input("x", DataType.FLOAT, 4, 8), r.input("y", DataType.FLOAT, 4, 8));
        r.output(ln(r, s2, 8), DataType.FLOAT, 4, 8);
        assertTrue(refusal(PASS, r.model()).contains("rank-3"));
        // the Add broadcasts its first operand
        ModelBuilder c = new ModelBuilder(17);
        Value s3 = c.node("Add", c.input("x", DataType.FLOAT, 1, 4, 8), c.input("y", DataType.FLOAT, 2, 1, 8));
        c.output(ln(c, s3, 8), DataType.FLOAT, 2, 4, 8);
        assertTrue(refusal(PASS, c.model()).contains("operand shapes"));
        // Mean output used
        ModelBuilder d = new ModelBuilder(17);
        Value s4 = d.node("Add", d.input("x", DataType.FLOAT, 2, 4, 8), d.input("y", DataType.FLOAT, 2, 4, 8));
        Node lnNode = new Node("", "LayerNormalization", "ln");
        lnNode.addInput(s4);
        lnNode.addInput(d.weight("g", 8));
        Value out = lnNode.addOutput(new Value("out", null));
        Value mean = lnNode.addOutput(new Value("mean", null));
        d.graph().append(lnNode);
        d.output(out, DataType.FLOAT, 2, 4, 8);
        d.output(mean, DataType.FLOAT, 2, 4, 1);
        assertTrue(refusal(PASS, d.model()).contains("Mean/InvStdDev"));
        // double
        ModelBuilder e = new ModelBuilder(17);
        Value s5 = e.node("Add", e.input("x", DataType.DOUBLE, 2, 4, 8), e.input("y", DataType.DOUBLE, 2, 4, 8));
        e.output(e.node("LayerNormalization", s5, e.input("g", DataType.DOUBLE, 8)), DataType.DOUBLE, 2, 4, 8);
        assertTrue(refusal(PASS, e.model()).contains("float32 only"));
    }
}
