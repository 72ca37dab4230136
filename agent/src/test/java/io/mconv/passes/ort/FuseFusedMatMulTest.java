package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtTestSupport.attrs;
import static io.mconv.passes.ort.OrtTestSupport.fuse;
import static io.mconv.passes.ort.OrtTestSupport.ops;
import static io.mconv.passes.ort.OrtTestSupport.refusal;
import static io.mconv.passes.ort.OrtTestSupport.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.Pass;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FuseFusedMatMulTest {

    private static final Pass PASS = FuseFusedMatMul.pass();

    private static Value t(ModelBuilder b, Value v, long... perm) {
        return b.nodeWith("Transpose", attrs(Attribute.ofInts("perm", perm)), v);
    }

    @Test
    void transposesOfBothOperandsAndAScalarMulBecomeOneFusedMatMul() {
        ModelBuilder b = new ModelBuilder(17);
        Value a = b.input("a", DataType.FLOAT, 2, 3, 8, 4);
        Value w = b.input("w", DataType.FLOAT, 2, 3, 5, 8);
        Value m = b.node("MatMul", t(b, a, 0, 1, 3, 2), t(b, w, 0, 1, 3, 2));
        b.output(b.node("Mul", scalar(b, "s", 0.25f), m), DataType.FLOAT, 2, 3, 4, 5);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("com.microsoft::FusedMatMul", 1), ops(after));
        Node f = after.graph().firstNode();
        assertEquals(1, f.attribute("transA").orElseThrow().asInt());
        assertEquals(1, f.attribute("transB").orElseThrow().asInt());
        assertEquals(0.25f, f.attribute("alpha").orElseThrow().asFloat());
        assertTrue(after.graph().initializers().isEmpty());
    }

    @Test
    void scaleOnlyAndRank2Transpose() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 4, 6);
        Value y = b.node("Mul", b.node("MatMul", x, b.weight("w", 6, 3)), b.constant(
                Tensor.ofFloats("s", new long[] {1, 1}, 3f)));
        Value z = b.node("MatMul", t(b, b.input("p", DataType.FLOAT, 4, 5), 1, 0), y);
        b.output(z, DataType.FLOAT, 5, 3);
        Model after = fuse(PASS, b.model(), 2);
        assertEquals(Map.of("com.microsoft::FusedMatMul", 2), ops(after));
    }

    @Test
    void transposeAndMulAreAbsorbedIntoAnExistingFusedMatMul() {
        ModelBuilder b = new ModelBuilder(17);
        b.model().opsetImports().put("com.microsoft", 1);
        Value x = b.input("x", DataType.FLOAT, 6, 4);
        Value pt = t(b, b.input("p", DataType.FLOAT, 4, 6), 1, 0);
        Node f = new Node("com.microsoft", "FusedMatMul", "existing");
        f.addInput(x);
        f.addInput(pt);
        f.setAttribute(Attribute.ofFloat("alpha", 3f));
        f.setAttribute(Attribute.ofInt("transA", 1));
        Value m = f.addOutput(new Value("m", null));
        b.graph().append(f);
        b.output(b.node("Mul", m, scalar(b, "s", 2f)), DataType.FLOAT, 4, 4);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("com.microsoft::FusedMatMul", 1), ops(after));
        Node g = after.graph().firstNode();
        assertEquals(6f, g.attribute("alpha").orElseThrow().asFloat());
        assertEquals(1, g.attribute("transA").orElseThrow().asInt());
        assertEquals(1, g.attribute("transB").orElseThrow().asInt());
    }

    @Test
    void refusals() {
        // the Transpose is read elsewhere and the Mul constant is not a scalar
        ModelBuilder b = new ModelBuilder(17);
        Value at = t(b, b.input("a", DataType.FLOAT, 8, 4), 1, 0);
        Value m = b.node("MatMul", at, b.input("w", DataType.FLOAT, 8, 5));
        b.output(b.node("Mul", m, b.weight("v", 5)), DataType.FLOAT, 4, 5);
        b.output(at, DataType.FLOAT, 4, 8);
        String why = refusal(PASS, b.model());
        assertTrue(why.contains("has other readers or is a graph output"), why);
        assertTrue(why.contains("not by a one-element float32 constant"), why);
        // a rank-3 scalar would broadcast a rank-2 product
        ModelBuilder c = new ModelBuilder(17);
        Value cm = c.node("MatMul", c.input("a", DataType.FLOAT, 4, 8), c.input("w", DataType.FLOAT, 8, 5));
        c.output(c.node("Mul", cm, c.constant(Tensor.ofFloats("s", new long[] {1, 1, 1}, 2f))), DataType.FLOAT,
                1, 4, 5);
        assertTrue(refusal(PASS, c.model()).contains("would broadcast"));
        // a Transpose that is not of the last two axes
        ModelBuilder d = new ModelBuilder(17);
        Value dm = d.node("MatMul", t(d, d.input("a", DataType.FLOAT, 3, 4, 8), 1, 0, 2),
                d.input("w", DataType.FLOAT, 8, 5));
        d.output(dm, DataType.FLOAT, 4, 3, 5);
        assertTrue(refusal(PASS, d.model()).contains("permutes [1, 0, 2], not just the last two axes"),
                refusal(PASS, d.model()));
        // int32
        ModelBuilder e = new ModelBuilder(17);
        Value em = e.node("MatMul", t(e, e.input("a", DataType.INT32, 8, 4), 1, 0), e.input("w", DataType.INT32,
                8, 5));
        e.output(em, DataType.INT32, 4, 5);
        assertTrue(refusal(PASS, e.model()).contains("float32 only"));
    }
}
