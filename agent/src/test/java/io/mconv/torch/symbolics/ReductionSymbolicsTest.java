package io.mconv.torch.symbolics;

import static io.mconv.torch.symbolics.PyValues.b;
import static io.mconv.torch.symbolics.PyValues.f;
import static io.mconv.torch.symbolics.PyValues.i;
import static io.mconv.torch.symbolics.PyValues.ints;
import static io.mconv.torch.symbolics.PyValues.none;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mconv.ir.DataType;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reductions, scans and sorting in ORT against torch (reduction.json from make_reduction.py). */
class ReductionSymbolicsTest {

    private static final TorchFixture FIXTURE = TorchFixture.load("reduction");

    private static SValue kw(SymbolicHarness h, String op, List<SValue> args, List<String> names,
                             List<SValue> values) {
        return h.call(op, args, names, values);
    }

    @Test
    void maxAndMinInAllThreeOverloads() {
        var c = FIXTURE.get("max_min_overloads");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        SValue y = c.in(h, "y");
        SValue all = h.call("aten::max", x);
        SValue byDim = h.call("aten::max", x, i(1), b(true));
        SValue minDim = h.call("aten::min", x, i(0));
        h.output(all, byDim, minDim, h.call("aten::max", x, y), h.call("aten::min", x, y));
        c.runAndCompare(h);
        assertEquals(List.of("ReduceMax", "ReduceMax", "ArgMax", "ReduceMin", "ArgMin", "Max", "Min"), h.opTypes());
    }

    @Test
    void amaxAminArgmaxArgmin() {
        var c = FIXTURE.get("amax_amin");
        SymbolicHarness h = new SymbolicHarness(18);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::amax", x, ints(0, 1)), h.call("aten::amin", x, ints(1), b(true)));
        c.runAndCompare(h);

        var a = FIXTURE.get("argmax_argmin");
        SymbolicHarness h2 = new SymbolicHarness(17);
        SValue x2 = a.in(h2, "x");
        h2.output(h2.call("aten::argmax", x2), h2.call("aten::argmax", x2, i(1), b(true)),
                h2.call("aten::argmin", x2, i(0)));
        a.runAndCompare(h2);
        assertEquals(List.of("Reshape", "ArgMax", "ArgMax", "ArgMin"), h2.opTypes());
    }

    @Test
    void allAndAnyOnBoolsAndInts() {
        var c = FIXTURE.get("all_any");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue bools = c.in(h, "b");
        SValue xi = c.in(h, "xi");
        h.output(h.call("aten::all", bools), h.call("aten::any", bools, i(1)),
                h.call("aten::all", h.call("aten::gt", xi, i(1)), i(0), b(true)), h.call("aten::any", xi));
        c.runAndCompare(h);
    }

    @Test
    void varianceAndStdWithEveryWayOfSayingTheCorrection() {
        for (int opset : new int[] {13, 18}) {
            var c = FIXTURE.get("var_std");
            SymbolicHarness h = new SymbolicHarness(opset);
            SValue x = c.in(h, "x");
            h.output(h.call("aten::var", x), h.call("aten::var", x, i(1), b(true), b(true)),
                    h.call("aten::std", x, ints(0), b(false)),
                    kw(h, "aten::var", List.of(x, ints(1)), List.of("correction"), List.of(i(0))),
                    h.call("aten::std", x, b(false)));
            c.runAndCompare(h);
        }
    }

    @Test
    void normsPickTheirReduction() {
        var c = FIXTURE.get("norms");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::norm", x), h.call("aten::norm", x, i(1), ints(1)),
                h.call("aten::norm", x, f(Double.POSITIVE_INFINITY), ints(0), b(true)),
                h.call("aten::linalg_vector_norm", x, i(3), ints(1)), h.call("aten::linalg_vector_norm", x, i(0)));
        c.runAndCompare(h);
        assertEquals("ReduceL2", h.opTypes().get(0));
        assertEquals("ReduceL1", h.opTypes().get(1));
    }

    @Test
    void prodAndCumsumWidenIntegersToInt64() {
        var c = FIXTURE.get("prod");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        SValue xi = c.in(h, "xi");
        h.output(h.call("aten::prod", x), h.call("aten::prod", x, i(1), b(true)), h.call("aten::prod", xi, i(0)));
        c.runAndCompare(h);

        var s = FIXTURE.get("cumsum");
        SymbolicHarness h2 = new SymbolicHarness(17);
        h2.output(h2.call("aten::cumsum", s.in(h2, "x"), i(1)), h2.call("aten::cumsum", s.in(h2, "xi"), i(0)));
        s.runAndCompare(h2);
        assertEquals(List.of("CumSum", "CumSum"), h2.opTypes());
    }

    @Test
    void topkAndSortReturnValuesAndIndices() {
        var c = FIXTURE.get("topk_sort");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        h.output(h.call("aten::topk", x, i(2), i(1)), h.call("aten::sort", x, i(0), b(true)),
                h.call("aten::sort", x));
        c.runAndCompare(h);
        assertEquals(List.of("TopK", "TopK", "TopK"), h.opTypes()); // the constant Reshape folded at export
    }

    @Test
    void refusesIntegerVarianceAndDynamicOrders() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue xi = h.input("xi", DataType.INT64, 2, 2);
        SValue x = h.input("x", DataType.FLOAT, 2, 2);
        assertEquals("aten::var needs a floating-point tensor but got int64 (torch refuses it too)",
                assertThrows(SymbolicException.class, () -> h.call("aten::var", xi)).getMessage());
        SValue dynamicP = PyValues.dynamicSize(h, x, 0);
        SymbolicException e = assertThrows(SymbolicException.class,
                () -> h.call("aten::norm", x, dynamicP, none()));
        assertEquals(true, e.getMessage().startsWith("aten::norm: the order p must be a static number"));
    }
}
