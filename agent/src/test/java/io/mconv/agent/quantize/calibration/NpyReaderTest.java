package io.mconv.agent.quantize.calibration;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.io.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files in testdata/npy were written by numpy 1.x ({@code numpy.save}, {@code format.write_array}). */
class NpyReaderTest {

    private static Path npy(String name) {
        return Fixtures.testdata().resolve("npy").resolve(name);
    }

    @ParameterizedTest
    @CsvSource({"f32_2x3x4.npy", "f32_v2.npy"})
    void readsFloat32InFormatVersions1And2(String file) {
        Tensor t = new NpyReader().read(npy(file), "x");
        assertEquals(DataType.FLOAT, t.dataType());
        assertArrayEquals(new long[] {2, 3, 4}, t.dims());
        float[] v = t.toFloatArray();
        assertEquals(-3f, v[0]);
        assertEquals(23 * 0.5f - 3, v[23]);
        assertEquals("x", t.name());
    }

    @Test
    void readsInt64AndScalars() {
        Tensor t = new NpyReader().read(npy("i64_5.npy"), "ids");
        assertEquals(DataType.INT64, t.dataType());
        assertArrayEquals(new long[] {1, -2, 3, 1L << 40, -7}, t.toLongArray());
        Tensor s = new NpyReader().read(npy("f32_scalar.npy"), "s");
        assertEquals(0, s.rank());
        assertArrayEquals(new float[] {2.5f}, s.toFloatArray());
    }

    @ParameterizedTest
    @CsvSource({"f32_bigendian.npy, '>f4'", "f32_fortran.npy, Fortran-order", "i32.npy, '<i4'",
            "truncated.npy, data bytes"})
    void refusesWhatItCannotReadWithTheReason(String file, String reason) {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> new NpyReader().read(npy(file), "x"));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /**
     * Fuzzing findings (NpyReaderFuzzTest seeds bad_bytes_overflow.npy, bad_count_overflow.npy): a shape whose byte
     * count wrapped to 0 was accepted as a tensor with no data, and an element count that overflowed escaped as an
     * IllegalArgumentException (exit 4) instead of an input error.
     */
    @ParameterizedTest
    @CsvSource({"<i8, '(2305843009213693952,)'", "<f4, '(9223372036854775807, 2)'"})
    void refusesShapesWhoseSizeOverflows(String descr, String shape) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        Path file = Path.of("overflow.npy");
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> new NpyReader().parse(file, b.array(), "x"));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("more elements than any file can"), e.getMessage());
    }
}
