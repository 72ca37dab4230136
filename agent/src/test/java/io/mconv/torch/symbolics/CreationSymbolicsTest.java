package io.mconv.torch.symbolics;

import static io.mconv.torch.symbolics.PyValues.dynamicSize;
import static io.mconv.torch.symbolics.PyValues.f;
import static io.mconv.torch.symbolics.PyValues.i;
import static io.mconv.torch.symbolics.PyValues.ints;
import static io.mconv.torch.symbolics.PyValues.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Creation symbolics in ORT against torch's results (creation.json from make_creation.py). */
class CreationSymbolicsTest {

    private static final TorchFixture FIXTURE = TorchFixture.load("creation");

    private static SValue kw(SymbolicHarness h, String op, List<SValue> args, String name, SValue value) {
        return h.call(op, args, List.of(name), List.of(value));
    }

    @Test
    void zerosWithADynamicSizeIsConstantOfShapeOfTheConcatenatedSize() {
        var c = FIXTURE.get("zeros_dynamic_size");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::zeros", list(dynamicSize(h, x, 0), i(4))));
        c.runAndCompare(h);
        assertEquals(List.of("Shape", "Gather", "Unsqueeze", "Concat", "ConstantOfShape"), h.opTypes());
    }

    @Test
    void onesFullAndTheirDtypes() {
        var c1 = FIXTURE.get("ones_int64");
        SymbolicHarness h1 = new SymbolicHarness(17);
        h1.output(kw(h1, "aten::ones", List.of(ints(2, 2)), "dtype", i(4)));
        c1.runAndCompare(h1);

        var c2 = FIXTURE.get("full_float_and_int");
        SymbolicHarness h2 = new SymbolicHarness(17);
        h2.output(h2.call("aten::full", ints(2, 3), f(2.5)), h2.call("aten::full", ints(2), i(7)));
        c2.runAndCompare(h2);
        // static sizes: the ConstantOfShape nodes fold into constants at export
        assertEquals(List.of(), h2.opTypes());
    }

    @Test
    void likeAndNewFactoriesTakeTheInputsShapeAndType() {
        var c = FIXTURE.get("full_like_and_zeros_like");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        SValue xi = h.input("xi", io.mconv.ir.DataType.INT64, 2, 3);
        h.output(h.call("aten::full_like", x, i(3)), h.call("aten::zeros_like", xi),
                kw(h, "aten::ones_like", List.of(xi), "dtype", i(6)));
        var feeds = new java.util.LinkedHashMap<>(c.inputs());
        feeds.put("xi", io.mconv.ir.Tensor.ofLongs("xi", new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        c.assertMatches(h.run(feeds));

        var n = FIXTURE.get("new_factories");
        SymbolicHarness h2 = new SymbolicHarness(17);
        SValue x2 = n.in(h2, "x");
        h2.output(h2.call("aten::new_zeros", x2, ints(3)), h2.call("aten::new_ones", x2, ints(2, 1)),
                h2.call("aten::new_full", x2, ints(2), i(5)));
        n.runAndCompare(h2);
    }

    @Test
    void arangeOverloadsPickInt64OrFloatLikeTorch() {
        var c = FIXTURE.get("arange_overloads");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::arange", i(5)), h.call("aten::arange", i(2), i(8), i(2)),
                h.call("aten::arange", i(0), i(1), f(0.25)),
                kw(h, "aten::arange", List.of(i(1), i(4)), "dtype", i(7)));
        c.runAndCompare(h);
        // static bounds: the four Range nodes fold into constants at export
        assertEquals(0, h.opTypes().stream().filter("Range"::equals).count());
    }

    @Test
    void arangeOfADynamicEnd() {
        var c = FIXTURE.get("arange_dynamic_end");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::arange", dynamicSize(h, x, 1)));
        c.runAndCompare(h);
        assertTrue(h.opTypes().contains("Range"));
    }

    @Test
    void linspaceMatchesTorchsSymmetricSteps() {
        var c = FIXTURE.get("linspace");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::linspace", i(0), i(1), i(5)), h.call("aten::linspace", i(-1), i(2), i(7)),
                kw(h, "aten::linspace", List.of(i(0), i(10), i(4)), "dtype", i(4)));
        c.runAndCompare(h);
    }

    @Test
    void tensorOfStaticAndDynamicData() {
        var c = FIXTURE.get("tensor_and_scalar_tensor");
        SymbolicHarness h = new SymbolicHarness(17);
        h.output(h.call("aten::tensor", list(ints(1, 2), ints(3, 4))), h.call("aten::tensor", list(f(1.5), i(2))),
                h.call("aten::tensor", i(3)), h.call("aten::scalar_tensor", i(3)));
        c.runAndCompare(h);

        var d = FIXTURE.get("tensor_dynamic_element");
        SymbolicHarness h2 = new SymbolicHarness(17);
        SValue x = d.in(h2, "x");
        h2.output(h2.call("aten::tensor", list(dynamicSize(h2, x, 0), i(7))));
        d.runAndCompare(h2);
        assertEquals("Concat", h2.opTypes().get(h2.opTypes().size() - 2));
    }

    @Test
    void fillExpandsTheValueToTheInputShape() {
        var c = FIXTURE.get("fill");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::fill", x, f(2.0)));
        c.runAndCompare(h);
        assertEquals(List.of("Shape", "Expand"), h.opTypes());
    }

    @Test
    void refusesRaggedListsStepZeroAndUnknownDtypes() {
        SymbolicHarness h = new SymbolicHarness(17);
        SymbolicException ragged = assertThrows(SymbolicException.class,
                () -> h.call("aten::tensor", list(ints(1, 2), ints(3))));
        assertEquals("torch.tensor of a ragged nested list (lengths 2 and 1 at depth 1)", ragged.getMessage());
        SymbolicException step = assertThrows(SymbolicException.class,
                () -> h.call("aten::arange", i(0), i(5), i(0)));
        assertEquals("arange with step 0 (torch raises 'step must be nonzero')", step.getMessage());
        SymbolicException dtype = assertThrows(SymbolicException.class,
                () -> kw(h, "aten::zeros", List.of(ints(2)), "dtype", i(12)));
        assertEquals("dtype code 12 has no ONNX type", dtype.getMessage());
    }
}
