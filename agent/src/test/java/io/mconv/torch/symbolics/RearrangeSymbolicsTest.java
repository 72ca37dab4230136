package io.mconv.torch.symbolics;

import static io.mconv.torch.symbolics.PyValues.i;
import static io.mconv.torch.symbolics.PyValues.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mconv.ir.DataType;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** roll, flip, repeat, tile, tril/triu, pixel and channel shuffle in ORT against torch (rearrange.json). */
class RearrangeSymbolicsTest {

    private static final TorchFixture FIXTURE = TorchFixture.load("rearrange");

    @Test
    void rollIsSliceAndConcatPerDim() {
        var c = FIXTURE.get("roll");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        SValue twoDims = h.call("aten::roll", x, ints(-1, 3), ints(1, 2));
        int afterFirst = h.opTypes().size();
        h.output(twoDims, h.call("aten::roll", x, ints(5)), h.call("aten::roll", x, ints(7), ints(2)));
        c.runAndCompare(h);
        assertEquals(List.of("Slice", "Slice", "Concat", "Slice", "Slice", "Concat"),
                h.opTypes().subList(0, afterFirst));
    }

    @Test
    void flipIsABackwardsSlice() {
        var c = FIXTURE.get("flip");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::flip", c.in(h, "x"), ints(0, 2)));
        c.runAndCompare(h);
        assertEquals(List.of("Slice"), h.opTypes());
    }

    @Test
    void repeatAddsLeadingDimsAndTilePadsItsCounts() {
        var c = FIXTURE.get("repeat_tile");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue m = c.in(h, "m");
        h.output(h.call("aten::repeat", m, ints(2, 1, 2)), h.call("aten::tile", m, ints(2)));
        c.runAndCompare(h);
        assertEquals(List.of("Unsqueeze", "Tile", "Tile"), h.opTypes());
    }

    @Test
    void trilTriuUseTriluFrom14AndAMaskBefore() {
        for (int opset : new int[] {13, 14}) {
            var c = FIXTURE.get("tril_triu");
            SymbolicHarness h = new SymbolicHarness(opset);
            SValue m = c.in(h, "m");
            h.output(h.call("aten::tril", m), h.call("aten::triu", m, i(1)), h.call("aten::tril", m, i(-1)));
            c.runAndCompare(h);
            assertEquals(opset >= 14 ? 3 : 0, h.opTypes().stream().filter("Trilu"::equals).count());
        }
    }

    @Test
    void pixelShuffleIsDepthToSpaceAndChannelShuffleATranspose() {
        var c = FIXTURE.get("pixel_shuffle");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::pixel_shuffle", c.in(h, "c"), i(2)));
        c.runAndCompare(h);
        assertEquals(List.of("DepthToSpace"), h.opTypes());

        var s = FIXTURE.get("channel_shuffle");
        SymbolicHarness h2 = new SymbolicHarness(17);
        h2.output(h2.call("aten::channel_shuffle", s.in(h2, "c"), i(2)));
        s.runAndCompare(h2);
        assertEquals(List.of("Reshape", "Transpose", "Shape", "Reshape"), h2.opTypes()); // static Concat folded
    }

    @Test
    void refusesMismatchedShiftsShortRepeatsAndVectorsForTril() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = h.input("x", DataType.FLOAT, 2, 3);
        SValue v = h.input("v", DataType.FLOAT, 3);
        assertEquals("aten::roll: 2 shifts for 1 dims", assertThrows(SymbolicException.class,
                () -> h.call("aten::roll", x, ints(1, 2), ints(0))).getMessage());
        assertEquals("aten::repeat: 1 repeats for a tensor of rank 2 (torch needs at least as many repeats as dims)",
                assertThrows(SymbolicException.class, () -> h.call("aten::repeat", x, ints(2))).getMessage());
        assertEquals("aten::tril needs a tensor of rank 2 or more but got rank 1",
                assertThrows(SymbolicException.class, () -> h.call("aten::tril", v)).getMessage());
    }
}
