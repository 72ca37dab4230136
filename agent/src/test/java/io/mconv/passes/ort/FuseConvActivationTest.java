package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtTestSupport.attrs;
import static io.mconv.passes.ort.OrtTestSupport.fuse;
import static io.mconv.passes.ort.OrtTestSupport.ops;
import static io.mconv.passes.ort.OrtTestSupport.refusal;
import static io.mconv.passes.ort.OrtTestSupport.scalar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class FuseConvActivationTest {

    private static final Pass PASS = FuseConvActivation.pass();

    private static Value conv(ModelBuilder b, Value x, int cin, int cout) {
        return b.nodeWith("Conv", attrs(Attribute.ofInts("kernel_shape", 3, 3), Attribute.ofInts("pads", 1, 1, 1, 1),
                Attribute.ofInts("strides", 1, 1)), x, b.weight(b.graph().uniqueName("w"), cout, cin, 3, 3),
                b.weight(b.graph().uniqueName("b"), cout));
    }

    @Test
    void everySupportedActivationFuses() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value v = b.node("Relu", conv(b, x, 3, 4));
        v = b.node("Sigmoid", conv(b, v, 4, 4));
        v = b.node("Tanh", conv(b, v, 4, 4));
        v = b.nodeWith("LeakyRelu", attrs(Attribute.ofFloat("alpha", 0.2f)), conv(b, v, 4, 4));
        v = b.nodeWith("HardSigmoid", attrs(Attribute.ofFloat("alpha", 0.3f), Attribute.ofFloat("beta", 0.4f)),
                conv(b, v, 4, 4));
        v = b.node("Clip", conv(b, v, 4, 4), scalar(b, "lo", -0.1f), scalar(b, "hi", 0.6f));
        v = b.node("Clip", conv(b, v, 4, 4), null, scalar(b, "hi2", 0.3f));
        b.output(v, DataType.FLOAT, 1, 4, 8, 8);
        Model after = fuse(PASS, b.model(), 7);
        assertEquals(Map.of("com.microsoft::FusedConv", 7), ops(after));
        Node hs = after.graph().nodes().get(4);
        assertEquals("HardSigmoid", hs.attribute("activation").orElseThrow().asString());
        assertArrayEquals(new float[] {0.3f, 0.4f}, hs.attribute("activation_params").orElseThrow().asFloats());
        assertArrayEquals(new long[] {1, 1, 1, 1}, hs.attribute("pads").orElseThrow().asInts());
        Node clip = after.graph().nodes().get(6);
        assertArrayEquals(new float[] {-Float.MAX_VALUE, 0.3f},
                clip.attribute("activation_params").orElseThrow().asFloats());
    }

    @Test
    void refusals() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        Value c = conv(b, x, 3, 4);
        b.output(b.node("Relu", c), DataType.FLOAT, 1, 4, 8, 8);
        b.output(b.node("Neg", c), DataType.FLOAT, 1, 4, 8, 8);
        assertTrue(refusal(PASS, b.model()).contains("fan-out 2"));

        ModelBuilder d = new ModelBuilder(17);
        Value dx = d.input("x", DataType.FLOAT, 1, 3, 8, 8);
        d.output(d.node("Clip", conv(d, dx, 3, 4), d.input("lo", DataType.FLOAT)), DataType.FLOAT, 1, 4, 8, 8);
        assertTrue(refusal(PASS, d.model()).contains("Clip bounds are not"));

        ModelBuilder e = new ModelBuilder(17);
        Value ex = e.input("x", DataType.DOUBLE, 1, 3, 8, 8);
        e.output(e.node("Relu", e.node("Conv", ex, e.input("w", DataType.DOUBLE, 4, 3, 3, 3))), DataType.DOUBLE,
                1, 4, 6, 6);
        assertTrue(refusal(PASS, e.model()).contains("float32 only"));
    }
}
