package io.mconv.torch.symbolics;

import static io.mconv.torch.symbolics.PyValues.b;
import static io.mconv.torch.symbolics.PyValues.f;
import static io.mconv.torch.symbolics.PyValues.i;
import static io.mconv.torch.symbolics.PyValues.ints;
import static io.mconv.torch.symbolics.PyValues.list;
import static io.mconv.torch.symbolics.PyValues.none;
import static io.mconv.torch.symbolics.PyValues.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pad and Resize lowerings in ORT against torch (padresize.json from make_padresize.py). */
class PadResizeSymbolicsTest {

    private static final TorchFixture FIXTURE = TorchFixture.load("padresize");

    private static List<String> attribute(SymbolicHarness h, String opType, String name) {
        List<String> out = new ArrayList<>();
        for (Node n : h.model().graph()) {
            if (n.opType().equals(opType)) {
                out.add(n.attribute(name).map(a -> a.asString()).orElse("-"));
            }
        }
        return out;
    }

    @Test
    void constantPadReordersTorchsPairsIntoOnnxBeginsAndEnds() {
        var c = FIXTURE.get("constant_pad");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::constant_pad_nd", x, ints(1, 2), f(0.5)), h.call("aten::pad", x, ints(0, 1, 2, 0)));
        c.runAndCompare(h);
        assertEquals(List.of("Pad", "Pad"), h.opTypes());
        Node firstPad = h.model().graph().iterator().next();
        long[] pads = firstPad.inputs().get(1).constValue().toLongArray();
        assertEquals(List.of(0L, 0L, 0L, 1L, 0L, 0L, 0L, 2L), java.util.Arrays.stream(pads).boxed().toList());
    }

    @Test
    void reflectAndReplicateModes() {
        var c = FIXTURE.get("reflect_replicate");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::pad", x, ints(1, 1, 2, 0), s("reflect")),
                h.call("aten::pad", x, ints(2, 0, 1, 1), s("replicate")));
        c.runAndCompare(h);
        assertEquals(List.of("reflect", "edge"), attribute(h, "Pad", "mode"));
    }

    @Test
    void padWithADynamicAmount() {
        var c = FIXTURE.get("pad_dynamic");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::pad", x, list(i(0), i(0), i(0), PyValues.dynamicSize(h, x, 1))));
        c.runAndCompare(h);
        assertEquals(List.of("Shape", "Gather", "Unsqueeze", "Concat", "Pad"), h.opTypes());
    }

    @Test
    void upsampleNearestByScaleOrSize() {
        var c = FIXTURE.get("upsample_nearest");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::upsample_nearest2d", x, none(), list(f(2.0), f(2.0))),
                h.call("aten::upsample_nearest2d", x, ints(5, 7), none(), none()));
        c.runAndCompare(h);
        assertEquals(List.of("asymmetric", "asymmetric"), attribute(h, "Resize", "coordinate_transformation_mode"));
        assertEquals(List.of("floor", "floor"), attribute(h, "Resize", "nearest_mode"));
    }

    @Test
    void upsampleBilinearWithAndWithoutAlignCorners() {
        var c = FIXTURE.get("upsample_bilinear");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::upsample_bilinear2d", x, none(), b(false), list(f(2.0), f(2.0))),
                h.call("aten::upsample_bilinear2d", x, ints(5, 7), b(true), none(), none()));
        c.runAndCompare(h);
        assertEquals(List.of("pytorch_half_pixel", "align_corners"),
                attribute(h, "Resize", "coordinate_transformation_mode"));
    }

    @Test
    void upsampleBicubic() {
        var c = FIXTURE.get("upsample_bicubic");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::upsample_bicubic2d", x, none(), b(false), list(f(2.0), f(2.0))),
                h.call("aten::upsample_bicubic2d", x, ints(5, 7), b(true), none(), none()));
        c.runAndCompare(h);
        assertEquals(List.of("cubic", "cubic"), attribute(h, "Resize", "mode"));
    }

    @Test
    void refusesCircularBeforeOpset19OddPadsAndMissingSizes() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = h.input("x", DataType.FLOAT, 1, 1, 4);
        assertEquals("aten::pad with mode 'circular' needs opset 19 or later (Pad mode 'wrap'); the target is 17",
                assertThrows(SymbolicException.class, () -> h.call("aten::pad", x, ints(1, 1), s("circular")))
                        .getMessage());
        assertEquals("aten::constant_pad_nd: 3 pad values for a tensor of rank 3 (an even number, at most 6)",
                assertThrows(SymbolicException.class, () -> h.call("aten::constant_pad_nd", x, ints(1, 1, 1)))
                        .getMessage());
        assertEquals("aten::upsample_nearest1d needs output_size or a list of scale_factors",
                assertThrows(SymbolicException.class, () -> h.call("aten::upsample_nearest1d", x, none(), none()))
                        .getMessage());
    }
}
