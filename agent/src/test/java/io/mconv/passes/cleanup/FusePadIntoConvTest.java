package io.mconv.passes.cleanup;

import static io.mconv.passes.cleanup.ChainTesting.assertRefuses;
import static io.mconv.passes.cleanup.ChainTesting.assertRewrites;
import static io.mconv.passes.cleanup.ChainTesting.ints;
import static io.mconv.passes.cleanup.ChainTesting.only;
import static io.mconv.passes.cleanup.ChainTesting.shape;
import static io.mconv.passes.cleanup.ChainTesting.single;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusePadIntoConvTest {

    private static final FusePadIntoConv PASS = new FusePadIntoConv();
    private static final DataType F = DataType.FLOAT;
    private static final AttrKey<long[]> PADS = AttrKey.ofInts("pads");

    private static Value conv(ChainTesting.G g, Value x, Attribute... attrs) {
        return g.nodeWith("Conv", attrs, x, g.weight(4, 3, 3, 3));
    }

    @Test
    void padsInputAddToExistingConvPads() {
        // H: 8 + (1+1) + (1+1) - 2 = 10; W: 8 + (2+0) + (2+0) - 2 = 10
        Model m = single(13, F, Shape.of(1, 3, 8, 8), F, Shape.of(1, 4, 10, 10), (g, x) -> conv(g,
                g.node("Pad", x, g.longs(0, 0, 1, 2, 0, 0, 1, 2)), ints("pads", 1, 0, 1, 0)));
        Model after = assertRewrites(PASS, m, 1, Map.of("Conv", 1));
        Node c = only(after, "Conv");
        assertArrayEquals(new long[] {2, 2, 2, 2}, c.attr(PADS));
        assertEquals("x", c.input(0).name());
        assertEquals(1, after.graph().initializers().size(), "the pads constant is gone, the weight stays");
    }

    @Test
    void symbolicBatchAndSpatialSizesAreValidatedAtTwoShapes() {
        Model m = single(13, F, shape("N", 3, "H", "W"), F, shape("N", 4, "H2", "W2"), (g, x) -> conv(g,
                g.node("Pad", x, g.longs(0, 0, 2, 0, 0, 0, 1, 3), g.scalarFloat(0f))));
        Model after = assertRewrites(PASS, m, 1, Map.of("Conv", 1),
                Map.of("x", Shape.of(1, 3, 8, 8)), Map.of("x", Shape.of(2, 3, 11, 7)));
        assertArrayEquals(new long[] {2, 0, 1, 3}, only(after, "Conv").attr(PADS));
    }

    @Test
    void opset18AxesInputWithANegativeAxisPadsOnlyThatDimension() {
        Model m = single(18, F, Shape.of(1, 3, 6, 6), F, Shape.of(1, 4, 4, 7), (g, x) -> {
            Value missing = null;
            Node pad = new Node("", "Pad", "pad");
            pad.addInput(x);
            pad.addInput(g.longs(1, 2));
            pad.addInput(missing);
            pad.addInput(g.longs(-1));
            Value p = pad.addOutput(new Value("padded", null));
            g.graph.append(pad);
            return conv(g, p);
        });
        Model after = assertRewrites(PASS, m, 1, Map.of("Conv", 1));
        assertArrayEquals(new long[] {0, 1, 0, 2}, only(after, "Conv").attr(PADS));
    }

    @Test
    void opset10AttributeFormIntoAnAveragePoolCountingPads() {
        Model m = single(10, F, Shape.of(1, 3, 6, 6), F, Shape.of(1, 3, 6, 6), (g, x) -> g.nodeWith("AveragePool",
                new Attribute[] {ints("kernel_shape", 3, 3), Attribute.ofInt("count_include_pad", 1)},
                g.nodeWith("Pad", new Attribute[] {ints("pads", 0, 0, 1, 1, 0, 0, 1, 1),
                        Attribute.ofFloat("value", 0f)}, x)));
        Model after = assertRewrites(PASS, m, 1, Map.of("AveragePool", 1));
        assertArrayEquals(new long[] {1, 1, 1, 1}, only(after, "AveragePool").attr(PADS));
    }

    @Test
    void padInsideIfBranchesIsFused() {
        Model m = ChainTesting.inIf(13, F, Shape.of(1, 3, 6, 6), F, Shape.of(1, 4, 6, 6),
                (g, x) -> conv(g, g.node("Pad", x, g.longs(0, 0, 1, 1, 0, 0, 1, 1))));
        assertRewrites(PASS, m, 2, Map.of("If", 1, "Conv", 2));
    }

    // ------------------------------------------------------------ refusals

    private static Model padConv(int opset, Attribute[] padAttrs, long[] pads, Float value, String consumer,
                                 Attribute... consumerAttrs) {
        return single(opset, F, Shape.of(1, 3, 6, 6), F, null, (g, x) -> {
            Value p = value == null ? g.nodeWith("Pad", padAttrs, x, g.longs(pads))
                    : g.nodeWith("Pad", padAttrs, x, g.longs(pads), g.scalarFloat(value));
            return consumer.equals("Conv") ? conv(g, p, consumerAttrs) : g.nodeWith(consumer, consumerAttrs, p);
        });
    }

    private static final long[] HW = {0, 0, 1, 1, 0, 0, 1, 1};

    @Test
    void nonZeroFillReflectModeNegativePadsAndChannelPadsAreRefused() {
        assertRefuses(PASS, padConv(13, new Attribute[0], HW, 1f, "Conv"), "not 0");
        assertRefuses(PASS, padConv(13, new Attribute[] {Attribute.ofString("mode", "reflect")}, HW, null, "Conv"),
                "mode is reflect");
        assertRefuses(PASS, padConv(13, new Attribute[0], new long[] {0, 0, -1, 1, 0, 0, 1, 1}, null, "Conv"),
                "negative pads");
        assertRefuses(PASS, padConv(13, new Attribute[0], new long[] {0, 1, 1, 1, 0, 0, 1, 1}, null, "Conv"),
                "batch or channel");
    }

    @Test
    void maxPoolExclusiveAveragePoolAndAutoPadAreRefused() {
        Attribute k = ints("kernel_shape", 3, 3);
        assertRefuses(PASS, padConv(13, new Attribute[0], HW, null, "MaxPool", k), "-inf");
        assertRefuses(PASS, padConv(13, new Attribute[0], HW, null, "AveragePool", k), "count_include_pad=0");
        assertRefuses(PASS, padConv(13, new Attribute[0], HW, null, "Conv",
                Attribute.ofString("auto_pad", "SAME_UPPER")), "auto_pad");
    }

    @Test
    void runTimePadsFanOutAndIntermediateGraphOutputAreRefused() {
        Model m = ChainTesting.model(13);
        Value x = new Value("x", ChainTesting.type(F, Shape.of(1, 3, 6, 6)));
        Value pads = new Value("pads", ChainTesting.type(DataType.INT64, Shape.of(8)));
        m.graph().addInput(x);
        m.graph().addInput(pads);
        ChainTesting.G g = new ChainTesting.G(m.graph(), "");
        m.graph().addOutput(conv(g, g.node("Pad", x, pads)));
        assertRefuses(PASS, m, "pads are not constant");

        Model fanOut = single(13, F, Shape.of(1, 3, 6, 6), F, null, (gg, xx) -> {
            Value p = gg.node("Pad", xx, gg.longs(HW));
            gg.graph.addOutput(gg.node("Relu", p));
            return conv(gg, p);
        });
        assertRefuses(PASS, fanOut, "fan-out");
        Model output = single(13, F, Shape.of(1, 3, 6, 6), F, null, (gg, xx) -> {
            Value p = gg.node("Pad", xx, gg.longs(HW));
            gg.graph.addOutput(p);
            return conv(gg, p);
        });
        assertRefuses(PASS, output, "is a graph output");
    }

    @Test
    void axesWithoutAKnownRankAreRefused() {
        Model m = ChainTesting.model(18);
        Value x = new Value("x", new ValueType.TensorType(F, null));
        Value w = new Value("w", new ValueType.TensorType(F, null));
        m.graph().addInput(x);
        m.graph().addInput(w);
        ChainTesting.G g = new ChainTesting.G(m.graph(), "");
        Value p = g.node("Pad", g.node("Relu", x), g.longs(1, 1), g.scalarFloat(0f), g.longs(2));
        m.graph().addOutput(g.node("Conv", p, w));
        assertRefuses(PASS, m, "rank is unknown");
    }
}
