package io.mconv.torch.symbolics;

import static io.mconv.torch.symbolics.PyValues.f;
import static io.mconv.torch.symbolics.PyValues.i;
import static io.mconv.torch.symbolics.PyValues.list;
import static io.mconv.torch.symbolics.PyValues.none;
import static io.mconv.torch.symbolics.PyValues.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mconv.ir.DataType;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Indexing symbolics in ORT against torch's results (indexing.json from make_indexing.py). */
class IndexingSymbolicsTest {

    private static final TorchFixture FIXTURE = TorchFixture.load("indexing");

    @Test
    void indexSelectAndGather() {
        var c = FIXTURE.get("index_select");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::index_select", c.in(h, "x"), i(1), c.in(h, "sel")));
        c.runAndCompare(h);
        assertEquals(List.of("Gather"), h.opTypes());

        var g = FIXTURE.get("gather");
        SymbolicHarness h2 = new SymbolicHarness(17);
        h2.output(h2.call("aten::gather", g.in(h2, "x"), i(0), g.in(h2, "g_index")));
        g.runAndCompare(h2);
        assertEquals(List.of("GatherElements"), h2.opTypes());
    }

    @Test
    void oneIntegerIndexIsAGatherOnItsDim() {
        var c = FIXTURE.get("index_one_tensor");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue table = c.in(h, "table");
        SValue pos = c.in(h, "pos");
        SValue flat = h.call("aten::view", pos, PyValues.ints(-1));
        h.output(h.call("aten::index", table, list(flat)), h.call("aten::index", table, list(pos)));
        c.runAndCompare(h);
        assertEquals(List.of("Reshape", "Gather", "Gather"), h.opTypes());

        var d = FIXTURE.get("index_second_dim");
        SymbolicHarness h2 = new SymbolicHarness(17);
        h2.output(h2.call("aten::index", d.in(h2, "x3"), list(none(), d.in(h2, "idx"))));
        d.runAndCompare(h2);
    }

    @Test
    void boolMasksSelectThroughNonZero() {
        var c = FIXTURE.get("index_bool_mask");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::index", c.in(h, "x"), list(c.in(h, "mask"))));
        c.runAndCompare(h);
        assertEquals(List.of("Reshape", "Reshape", "NonZero", "Squeeze", "Gather"), h.opTypes());

        var d = FIXTURE.get("index_bool_mask_second_dim");
        SymbolicHarness h2 = new SymbolicHarness(17);
        h2.output(h2.call("aten::index", d.in(h2, "x"), list(none(), d.in(h2, "col_mask"))));
        d.runAndCompare(h2);
    }

    @Test
    void severalIntegerIndicesBroadcastAndLandWhereTorchPutsThem() {
        var c = FIXTURE.get("index_two_tensors");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x3 = c.in(h, "x3");
        SValue front = h.input("front", DataType.INT64, 2);
        SValue back = h.input("back", DataType.INT64, 2);
        h.output(h.call("aten::index", x3, list(none(), c.in(h, "i0"), c.in(h, "i1"))),
                h.call("aten::index", x3, list(front, none(), back)));
        var feeds = new java.util.LinkedHashMap<>(c.inputs());
        feeds.put("front", io.mconv.ir.Tensor.ofLongs("front", new long[] {2}, 1, 0));
        feeds.put("back", io.mconv.ir.Tensor.ofLongs("back", new long[] {2}, 3, 1));
        c.assertMatches(h.run(feeds));
    }

    @Test
    void maskedFillAndMaskedSelect() {
        var c = FIXTURE.get("masked_fill");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        SValue mask = c.in(h, "mask");
        SValue two = h.call("aten::scalar_tensor", f(2.0));
        h.output(h.call("aten::masked_fill", x, mask, f(Double.NEGATIVE_INFINITY)),
                h.call("aten::masked_fill", x, mask, two));
        c.runAndCompare(h);
        assertEquals("Where", h.opTypes().get(0));

        var d = FIXTURE.get("masked_select");
        SymbolicHarness h2 = new SymbolicHarness(17);
        h2.output(h2.call("aten::masked_select", d.in(h2, "x"), d.in(h2, "col_mask")));
        d.runAndCompare(h2);
    }

    @Test
    void scatterWithTensorScalarAndAdd() {
        var c = FIXTURE.get("scatter");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        SValue gi = c.in(h, "gi");
        SValue src = c.in(h, "src");
        h.output(h.call("aten::scatter", x, i(0), gi, src), h.call("aten::scatter", x, i(0), gi, f(1.5)),
                h.call("aten::scatter_add", x, i(0), gi, src));
        c.runAndCompare(h);
        assertEquals(3, h.opTypes().stream().filter("ScatterElements"::equals).count());
    }

    @Test
    void embeddingAndNarrow() {
        var c = FIXTURE.get("embedding");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::embedding", c.in(h, "table"), c.in(h, "pos")));
        c.runAndCompare(h);
        assertEquals(List.of("Gather"), h.opTypes());

        var n = FIXTURE.get("narrow");
        SymbolicHarness h2 = new SymbolicHarness(17);
        SValue x = n.in(h2, "x");
        h2.output(h2.call("aten::narrow", x, i(1), i(1), i(2)), h2.call("aten::narrow", x, i(0), i(-2), i(2)));
        n.runAndCompare(h2);
        assertEquals(List.of("Slice", "Slice"), h2.opTypes());
    }

    @Test
    void refusesMixedMasksScatterReduceBeforeOpset16AndTensorFills() {
        SymbolicHarness h = new SymbolicHarness(13);
        SValue x = h.input("x", DataType.FLOAT, 3, 4);
        SValue mask = h.input("mask", DataType.BOOL, 3);
        SValue idx = h.input("idx", DataType.INT64, 2);
        SValue gi = h.input("gi", DataType.INT64, 1, 4);
        SymbolicException mixed = assertThrows(SymbolicException.class,
                () -> h.call("aten::index", x, list(mask, idx)));
        assertEquals("aten::index: a bool mask together with other index tensors is not supported (only x[mask] or "
                + "x[:, mask] forms)", mixed.getMessage());
        SymbolicException reduce = assertThrows(SymbolicException.class,
                () -> h.call("aten::scatter", List.of(x, i(0), gi, x), List.of("reduce"), List.of(s("add"))));
        assertEquals("aten::scatter with reduce='add' needs opset 16 or later (ScatterElements' reduction "
                + "attribute); the target is 13", reduce.getMessage());
        SymbolicException fill = assertThrows(SymbolicException.class,
                () -> h.call("aten::masked_fill", x, mask, x));
        assertEquals("aten::masked_fill only supports a 0-dimensional value tensor, but got one of rank 2",
                fill.getMessage());
    }
}
