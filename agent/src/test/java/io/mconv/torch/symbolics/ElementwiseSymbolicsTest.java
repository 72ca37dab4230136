package io.mconv.torch.symbolics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Elementwise symbolics run in ORT; expected values are torch's (Python semantics for division and modulo). */
class ElementwiseSymbolicsTest {

    @Test
    void addWithAlphaPromotesAnIntScalarToTheTensorType() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = h.input("x", DataType.FLOAT, 2, 2);
        SValue y = h.input("y", DataType.FLOAT, 2, 2);
        h.output(h.call("aten::add", List.of(x, y), List.of("alpha"), List.of(new SValue.Const(2L))),
                h.call("aten::add", x, new SValue.Const(3L)));
        List<Tensor> out = h.run(Map.of("x", Tensor.ofFloats("x", new long[] {2, 2}, 1, 2, 3, 4),
                "y", Tensor.ofFloats("y", new long[] {2, 2}, 10, 20, 30, 40)));
        assertArrayEquals(new float[] {21, 42, 63, 84}, out.get(0).toFloatArray());
        assertArrayEquals(new float[] {4, 5, 6, 7}, out.get(1).toFloatArray());
        assertEquals(DataType.FLOAT, out.get(1).dataType());
    }

    @Test
    void integerTrueDivisionGivesFloatsAndFloorDivisionRoundsDown() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue a = h.input("a", DataType.INT64, 4);
        SValue b = h.input("b", DataType.INT64, 4);
        h.output(h.call("aten::div", a, b), h.call("aten::floor_divide", a, b), h.call("aten::remainder", a, b),
                h.call("aten::div", List.of(a, b), List.of("rounding_mode"), List.of(new SValue.Const("trunc"))));
        List<Tensor> out = h.run(Map.of("a", Tensor.ofLongs("a", new long[] {4}, 7, -7, 7, -7),
                "b", Tensor.ofLongs("b", new long[] {4}, 2, 2, -2, -2)));
        assertArrayEquals(new float[] {3.5f, -3.5f, -3.5f, 3.5f}, out.get(0).toFloatArray());
        assertArrayEquals(new long[] {3, -4, -4, 3}, out.get(1).toLongArray());
        assertArrayEquals(new long[] {1, 1, -1, -1}, out.get(2).toLongArray());
        assertArrayEquals(new long[] {3, -3, -3, 3}, out.get(3).toLongArray());
    }

    @Test
    void comparisonsGiveBoolsAndClampUsesClip() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = h.input("x", DataType.FLOAT, 4);
        h.output(h.call("aten::gt", x, new SValue.Const(0L)),
                h.call("aten::clamp", x, new SValue.Const(-1.0), new SValue.Const(1.0)));
        List<Tensor> out = h.run(Map.of("x", Tensor.ofFloats("x", new long[] {4}, -2, -0.5f, 0.5f, 2)));
        assertEquals(DataType.BOOL, out.get(0).dataType());
        assertArrayEquals(new long[] {0, 0, 1, 1}, out.get(0).toLongArray());
        assertArrayEquals(new float[] {-1, -0.5f, 0.5f, 1}, out.get(1).toFloatArray());
        assertEquals(List.of("Greater", "Clip"), h.opTypes());
    }

    @Test
    void bitwiseAndOfFloatsIsRefused() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = h.input("x", DataType.FLOAT, 2);
        SymbolicException e = assertThrows(SymbolicException.class, () -> h.call("aten::bitwise_and", x, x));
        assertEquals("aten::bitwise_and is not defined for floating-point tensors", e.getMessage());
    }
}
