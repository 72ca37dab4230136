package io.mconv.agent.runtime;

import io.mconv.ir.DataType;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorComparisonTest {

    private static Tensor f(long[] dims, float... v) {
        return Tensor.ofFloats("t", dims, v);
    }

    private static Tensor f(float... v) {
        return f(new long[] {v.length}, v);
    }

    private static ComparisonResult fp32(Tensor expected, Tensor actual) {
        return TensorComparison.compare("t", expected, actual, Tolerance.FP32);
    }

    @Test
    void identicalTensorsPassWithZeroErrorAndCosineOne() {
        ComparisonResult r = fp32(f(1, -2, 3), f(1, -2, 3));
        assertTrue(r.passed());
        assertEquals("", r.reason());
        assertEquals(0, r.maxAbsError());
        assertEquals(0, r.maxRelError());
        assertEquals(0, r.mismatches());
        assertEquals(3, r.elementCount());
        assertEquals(1.0, r.cosineSimilarity(), 1e-12);
    }

    @Test
    void nanEqualsNanInTheSamePlaceOnly() {
        float nan = Float.NaN;
        assertTrue(fp32(f(1, nan), f(1, nan)).passed());
        ComparisonResult r = fp32(f(1, nan), f(1, 2));
        assertFalse(r.passed());
        assertEquals(1, r.mismatches());
        assertArrayEquals(new long[] {1}, r.worstIndex());
        assertEquals(Double.POSITIVE_INFINITY, r.maxAbsError());
        assertFalse(fp32(f(1, 2), f(nan, 2)).passed());
    }

    @Test
    void infinitiesMatchOnlyWhenIdentical() {
        float inf = Float.POSITIVE_INFINITY;
        assertTrue(fp32(f(inf, -inf, 1), f(inf, -inf, 1)).passed());
        assertEquals(0, fp32(f(inf, 1), f(inf, 1)).maxAbsError(), "matched infinities add no error");
        assertFalse(fp32(f(inf), f(-inf)).passed());
        assertFalse(fp32(f(inf), f(3.4e38f)).passed());
    }

    @Test
    void rtolScalesWithTheExpectedValueAndAtolCoversZero() {
        // |diff| 0.05 <= 1e-5 + 1e-4 * 1000 = 0.10001: passes on rtol.
        assertTrue(fp32(f(1000), f(1000.05f)).passed());
        // Near zero only atol helps: 5e-6 passes, 2e-5 does not.
        assertTrue(fp32(f(0), f(5e-6f)).passed());
        ComparisonResult r = fp32(f(0), f(2e-5f));
        assertFalse(r.passed());
        assertEquals(Double.POSITIVE_INFINITY, r.maxRelError(), "relative error against an expected 0");
        // The same absolute difference on a small value fails on rtol.
        assertFalse(fp32(f(1), f(1.05f)).passed());
        // numpy semantics are asymmetric: rtol multiplies |expected|.
        Tolerance rtolOnly = Tolerance.of(0, 0.1);
        assertTrue(TensorComparison.compare("t", f(10), f(11), rtolOnly).passed());
        assertFalse(TensorComparison.compare("t", f(1), f(1.2f), rtolOnly).passed());
    }

    @Test
    void reportsMaxErrorsAndTheWorstMultiDimensionalIndex() {
        Tensor expected = f(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Tensor actual = f(new long[] {2, 3}, 1, 2, 3, 4, 5.5f, 6.01f);
        ComparisonResult r = fp32(expected, actual);
        assertFalse(r.passed());
        assertEquals(2, r.mismatches());
        assertEquals(0.5, r.maxAbsError(), 1e-6);
        assertEquals(0.1, r.maxRelError(), 1e-6);
        assertArrayEquals(new long[] {1, 1}, r.worstIndex());
        assertTrue(r.reason().contains("2 of 6 elements") && r.reason().contains("[1, 1]"), r.reason());
    }

    @Test
    void cosineSimilarity() {
        Tolerance loose = Tolerance.of(100, 0);
        assertEquals(0.0, TensorComparison.compare("t", f(1, 0), f(0, 1), loose).cosineSimilarity(), 1e-12);
        assertEquals(1.0, TensorComparison.compare("t", f(1, 2, 3), f(2, 4, 6), loose).cosineSimilarity(), 1e-12);
        assertEquals(-1.0, TensorComparison.compare("t", f(1, 2), f(-1, -2), loose).cosineSimilarity(), 1e-12);
        assertEquals(1.0, fp32(f(0, 0), f(0, 0)).cosineSimilarity());
        assertEquals(0.0, TensorComparison.compare("t", f(0, 0), f(1, 0), loose).cosineSimilarity());
    }

    @Test
    void shapeAndDtypeMismatchesFailWithAReason() {
        ComparisonResult shape = fp32(f(new long[] {2, 3}, 1, 2, 3, 4, 5, 6), f(new long[] {3, 2}, 1, 2, 3, 4, 5, 6));
        assertFalse(shape.passed());
        assertEquals("shape differs: expected [2, 3], got [3, 2]", shape.reason());
        assertNull(shape.worstIndex());
        ComparisonResult dtype = fp32(f(1, 2), Tensor.ofDoubles("t", new long[] {2}, 1, 2));
        assertFalse(dtype.passed());
        assertEquals("dtype differs: expected float32, got float64", dtype.reason());
    }

    @Test
    void integersAreExactByDefaultEvenBeyondDoublePrecision() {
        long big = 1L << 53;
        Tensor e = Tensor.ofLongs("t", new long[] {2}, 1, big);
        Tensor a = Tensor.ofLongs("t", new long[] {2}, 1, big + 1);
        ComparisonResult r = TensorComparison.compare(e, a);
        assertEquals(Tolerance.EXACT, r.tolerance());
        assertFalse(r.passed());
        assertEquals(1, r.mismatches());
        assertTrue(TensorComparison.compare(e, e).passed());
        ComparisonResult off = TensorComparison.compare(Tensor.ofInts("t", new long[] {3}, 10, 20, 30),
                Tensor.ofInts("t", new long[] {3}, 10, 21, 30));
        assertFalse(off.passed());
        assertArrayEquals(new long[] {1}, off.worstIndex());
        assertTrue(TensorComparison.compare("t", Tensor.ofInts("t", new long[] {3}, 10, 20, 30),
                Tensor.ofInts("t", new long[] {3}, 10, 21, 30), Tolerance.of(1, 0)).passed());
    }

    @Test
    void boolsAndStringsCompareExactly() {
        Tensor t = Tensor.ofRaw("b", DataType.BOOL, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 0, 1}));
        Tensor u = Tensor.ofRaw("b", DataType.BOOL, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 1, 1}));
        assertTrue(TensorComparison.compare(t, t).passed());
        assertEquals(1, TensorComparison.compare(t, u).mismatches());

        Tensor s1 = Tensor.ofStrings("s", new long[] {2}, List.of(bytes("a"), bytes("b")));
        Tensor s2 = Tensor.ofStrings("s", new long[] {2}, List.of(bytes("a"), bytes("c")));
        assertTrue(TensorComparison.compare(s1, s1).passed());
        ComparisonResult r = TensorComparison.compare(s1, s2);
        assertFalse(r.passed());
        assertArrayEquals(new long[] {1}, r.worstIndex());
        assertTrue(r.reason().contains("expected \"b\", got \"c\""), r.reason());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void float16UsesItsOwnPreset() {
        ByteBuffer e = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        e.putShort(HalfPrecision.floatToFloat16(1.0f)).putShort(HalfPrecision.floatToFloat16(100f)).flip();
        ByteBuffer a = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        a.putShort(HalfPrecision.floatToFloat16(1.001f)).putShort(HalfPrecision.floatToFloat16(100.5f)).flip();
        Tensor te = Tensor.ofRaw("h", DataType.FLOAT16, new long[] {2}, e);
        Tensor ta = Tensor.ofRaw("h", DataType.FLOAT16, new long[] {2}, a);
        ComparisonResult r = TensorComparison.compare(te, ta);
        assertEquals(Tolerance.FP16, r.tolerance());
        assertTrue(r.passed(), r.toString());
        assertFalse(TensorComparison.compare("h", te, ta, Tolerance.FP32).passed());
    }

    @Test
    void presetsAndValidation() {
        assertEquals(Tolerance.FP32, Tolerance.forDataType(DataType.FLOAT));
        assertEquals(Tolerance.BF16, Tolerance.forDataType(DataType.BFLOAT16));
        assertEquals(Tolerance.FP64, Tolerance.forDataType(DataType.DOUBLE));
        assertEquals(Tolerance.EXACT, Tolerance.forDataType(DataType.INT8));
        assertTrue(Tolerance.INT8.atol() > Tolerance.FP16.atol());
        assertThrows(IllegalArgumentException.class, () -> Tolerance.of(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tolerance.of(0, Double.NaN));
    }

    @Test
    void scalarsAndEmptyTensors() {
        ComparisonResult scalar = fp32(f(new long[] {}, 3), f(new long[] {}, 4));
        assertFalse(scalar.passed());
        assertArrayEquals(new long[] {}, scalar.worstIndex());
        ComparisonResult empty = fp32(f(new long[] {0, 3}), f(new long[] {0, 3}));
        assertTrue(empty.passed());
        assertNull(empty.worstIndex());
        assertEquals(0, empty.elementCount());
    }
}
