package io.mconv.agent.quantize.calibration;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import io.mconv.onnx.io.InvalidModelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1 to 3) holding little-endian, C-order float32 or int64 arrays:
 * what {@code numpy.save} writes for calibration tensors. Other dtypes, big-endian data and Fortran order are
 * refused with the reason, as {@link InvalidModelException} (bad input, exit 3).
 *
 * <p>Layout: the magic {@code \x93NUMPY}, major and minor version bytes, the header length (2 bytes little-endian
 * in version 1, 4 bytes in 2 and 3), then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }}, then the raw data.
 */
public final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public Tensor read(Path file, String tensorName) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot read file: " + e.getMessage(), e);
        }
        return parse(file, bytes, tensorName);
    }

    Tensor parse(Path file, byte[] bytes, String tensorName) {
        if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new InvalidModelException(file, "is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new InvalidModelException(file, "truncated .npy header");
            }
            headerLen = b.getInt(8);
            headerStart = 12;
        } else {
            throw new InvalidModelException(file, "unsupported .npy format version " + major);
        }
        if (headerLen < 0 || headerStart + (long) headerLen > bytes.length) {
            throw new InvalidModelException(file, "truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "descr");
        if (group(file, FORTRAN, header, "fortran_order").equals("True")) {
            throw new InvalidModelException(file, "holds a Fortran-order array; save it C-ordered "
                    + "(numpy.ascontiguousarray)");
        }
        long[] dims = dims(file, group(file, SHAPE, header, "shape"));
        DataType type = switch (descr) {
            case "<f4" -> DataType.FLOAT;
            case "<i8" -> DataType.INT64;
            default -> throw new InvalidModelException(file, "has dtype '" + descr + "'; only little-endian "
                    + "float32 ('<f4') and int64 ('<i8') are read");
        };
        int dataStart = headerStart + headerLen;
        long expected = dataBytes(file, dims, type);
        if (bytes.length - dataStart != expected) {
            throw new InvalidModelException(file, "holds " + (bytes.length - dataStart) + " data bytes, but shape "
                    + java.util.Arrays.toString(dims) + " of " + descr + " needs " + expected);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expected).slice().order(ByteOrder.LITTLE_ENDIAN);
        return Tensor.ofRaw(tensorName, type, dims, data);
    }

    /**
     * Bytes the shape needs. Both the element count and the byte count must not overflow: an overflowed product
     * can wrap to the very number of bytes the file holds (a shape of 2^61 int64 elements "needs" 0 bytes).
     */
    private static long dataBytes(Path file, long[] dims, DataType type) {
        try {
            return type.byteSize(Tensor.elementCount(dims));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidModelException(file, "the .npy shape " + java.util.Arrays.toString(dims)
                    + " holds more elements than any file can");
        }
    }

    private static String group(Path file, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new InvalidModelException(file, "the .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static long[] dims(Path file, String shape) {
        List<Long> dims = new ArrayList<>();
        for (String part : shape.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
                if (d < 0) {
                    throw new NumberFormatException("negative");
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new InvalidModelException(file, "the .npy shape (" + shape + ") has an invalid dimension '"
                        + s + "'");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
