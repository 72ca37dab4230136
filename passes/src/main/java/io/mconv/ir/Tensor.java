package io.mconv.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A constant tensor: a data type, dimensions and a read-only little-endian byte view of its elements (or a list of
 * byte strings for {@link DataType#STRING}). The bytes are never copied on the way through mconv: they stay in the
 * buffer they were read into (a memory-mapped slice of a file, or the protobuf's byte string) until a pass replaces
 * the tensor. Conversions to Java arrays are explicit and bounds-checked.
 */
public final class Tensor {

    private final String name;
    private final DataType dataType;
    private final long[] dims;
    private final ByteBuffer raw;
    private final List<byte[]> strings;
    private final String docString;
    private final Map<String, String> metadata;
    private final Object storage;

    private Tensor(String name, DataType dataType, long[] dims, ByteBuffer raw, List<byte[]> strings,
                   String docString, Map<String, String> metadata) {
        this(name, dataType, dims, raw, strings, docString, metadata, null);
    }

    private Tensor(String name, DataType dataType, long[] dims, ByteBuffer raw, List<byte[]> strings,
                   String docString, Map<String, String> metadata, Object storage) {
        this.name = name;
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.dims = dims.clone();
        this.raw = raw;
        this.strings = strings;
        this.docString = docString;
        this.metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.storage = storage;
    }

    /**
     * A tensor over raw little-endian bytes; the buffer's remaining bytes must be exactly the tensor's size.
     *
     * @throws IllegalArgumentException on negative dimensions, an element count that overflows, or a length that
     *                                  does not match dims times the element size
     */
    public static Tensor ofRaw(String name, DataType type, long[] dims, ByteBuffer bytes) {
        if (type == DataType.STRING) {
            throw new IllegalArgumentException("string tensors carry byte strings, not raw bytes");
        }
        long count = elementCount(dims);
        long expected = type.byteSize(count);
        if (bytes.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + bytes.remaining() + " data bytes but "
                    + Arrays.toString(dims) + " " + type + " needs " + expected);
        }
        ByteBuffer view = bytes.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new Tensor(name, type, dims, view, null, null, null);
    }

    public static Tensor ofStrings(String name, long[] dims, List<byte[]> values) {
        long count = elementCount(dims);
        if (values.size() != count) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + values.size() + " strings but "
                    + Arrays.toString(dims) + " needs " + count);
        }
        List<byte[]> copy = new ArrayList<>(values.size());
        for (byte[] v : values) {
            copy.add(v.clone());
        }
        return new Tensor(name, DataType.STRING, dims, null, Collections.unmodifiableList(copy), null, null);
    }

    public static Tensor ofFloats(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return ofRaw(name, DataType.FLOAT, dims, b);
    }

    public static Tensor ofLongs(String name, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return ofRaw(name, DataType.INT64, dims, b);
    }

    public static Tensor ofInts(String name, long[] dims, int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return ofRaw(name, DataType.INT32, dims, b);
    }

    public static Tensor ofDoubles(String name, long[] dims, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return ofRaw(name, DataType.DOUBLE, dims, b);
    }

    /** The product of dims, refusing negative dimensions and overflow. A scalar (no dims) has one element. */
    public static long elementCount(long[] dims) {
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d + " in " + Arrays.toString(dims));
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("element count of " + Arrays.toString(dims) + " overflows");
            }
        }
        return count;
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, dataType, dims, raw, strings, docString, metadata, storage);
    }

    public Tensor withDocString(String doc) {
        return new Tensor(name, dataType, dims, raw, strings, doc, metadata, storage);
    }

    public Tensor withMetadata(Map<String, String> props) {
        return new Tensor(name, dataType, dims, raw, strings, docString, props, storage);
    }

    /** The same bytes seen with other dimensions of the same element count. */
    public Tensor reshaped(long[] newDims) {
        if (elementCount(newDims) != elementCount()) {
            throw new IllegalArgumentException("cannot view " + Arrays.toString(dims) + " as "
                    + Arrays.toString(newDims));
        }
        return new Tensor(name, dataType, newDims, raw, strings, docString, metadata, storage);
    }

    /**
     * The same tensor, remembering the object its bytes live in (for example the protobuf byte string they were
     * read from), so the serializer can write that object back instead of copying the bytes. The IR never looks
     * inside it; a tensor made by a pass has none.
     */
    public Tensor withStorage(Object storageObject) {
        return new Tensor(name, dataType, dims, raw, strings, docString, metadata, storageObject);
    }

    /** The object holding this tensor's bytes, if the reader recorded one; null otherwise. */
    public Object storage() {
        return storage;
    }

    public String name() {
        return name;
    }

    public DataType dataType() {
        return dataType;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public Shape shape() {
        return Shape.of(dims);
    }

    public long elementCount() {
        return elementCount(dims);
    }

    /** Bytes of element data (for strings, the sum of their lengths). */
    public long byteSize() {
        if (strings != null) {
            long total = 0;
            for (byte[] s : strings) {
                total += s.length;
            }
            return total;
        }
        return raw.capacity();
    }

    public String docString() {
        return docString;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** A fresh read-only little-endian view of the raw bytes, positioned at 0. */
    public ByteBuffer rawBytes() {
        if (raw == null) {
            throw new IllegalStateException("string tensor '" + name + "' has no raw bytes");
        }
        return raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public List<byte[]> strings() {
        if (strings == null) {
            throw new IllegalStateException("tensor '" + name + "' of type " + dataType + " holds no strings");
        }
        List<byte[]> copy = new ArrayList<>(strings.size());
        for (byte[] s : strings) {
            copy.add(s.clone());
        }
        return copy;
    }

    public List<String> stringsUtf8() {
        List<String> out = new ArrayList<>();
        for (byte[] s : strings()) {
            out.add(new String(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    private int arrayLength() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor '" + name + "' has " + n + " elements, too many for a Java array");
        }
        return (int) n;
    }

    /** Elements as float: FLOAT as is; FLOAT16, BFLOAT16 and DOUBLE converted. */
    public float[] toFloatArray() {
        int n = arrayLength();
        float[] out = new float[n];
        ByteBuffer b = rawBytes();
        switch (dataType) {
            case FLOAT -> b.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfPrecision.float16ToFloat(b.getShort(i * 2));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfPrecision.bfloat16ToFloat(b.getShort(i * 2));
                }
            }
            default -> throw new IllegalStateException("tensor '" + name + "' of type " + dataType
                    + " cannot be read as float");
        }
        return out;
    }

    /** Elements as double: DOUBLE as is; other float types widened. */
    public double[] toDoubleArray() {
        if (dataType == DataType.DOUBLE) {
            double[] out = new double[arrayLength()];
            rawBytes().asDoubleBuffer().get(out);
            return out;
        }
        float[] f = toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** Elements of any integer type or BOOL as long (unsigned types zero-extended; UINT64 keeps its bits). */
    public long[] toLongArray() {
        int n = arrayLength();
        long[] out = new long[n];
        ByteBuffer b = rawBytes();
        switch (dataType) {
            case INT64, UINT64 -> b.asLongBuffer().get(out);
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4) & 0xffffffffL;
                }
            }
            case INT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(i * 2);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(i * 2) & 0xffff;
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            case UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i) & 0xff;
                }
            }
            case INT4, UINT4 -> {
                for (int i = 0; i < n; i++) {
                    int packed = b.get(i / 2) & 0xff;
                    int nibble = (i % 2 == 0) ? packed & 0xf : packed >>> 4;
                    out[i] = dataType == DataType.INT4 ? (nibble << 28) >> 28 : nibble;
                }
            }
            default -> throw new IllegalStateException("tensor '" + name + "' of type " + dataType
                    + " cannot be read as integers");
        }
        return out;
    }

    /** Elements as int, refusing values out of int range. */
    public int[] toIntArray() {
        long[] l = toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = Math.toIntExact(l[i]);
        }
        return out;
    }

    /** Equal type, dims and element bytes (names and doc strings aside). */
    public boolean contentEquals(Tensor other) {
        if (dataType != other.dataType || !Arrays.equals(dims, other.dims)) {
            return false;
        }
        if (strings != null) {
            if (other.strings == null || strings.size() != other.strings.size()) {
                return false;
            }
            for (int i = 0; i < strings.size(); i++) {
                if (!Arrays.equals(strings.get(i), other.strings.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return rawBytes().equals(other.rawBytes());
    }

    @Override
    public String toString() {
        return "Tensor(" + name + ": " + dataType + Arrays.toString(dims) + ")";
    }
}
