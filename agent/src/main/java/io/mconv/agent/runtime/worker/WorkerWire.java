package io.mconv.agent.runtime.worker;

import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary protocol between {@link TorchScriptRunner} (parent) and {@link TorchWorkerMain} (child) over the
 * child's stdin and stdout. Integers are big-endian ({@link DataOutputStream}); tensor payloads are the IR's raw
 * little-endian bytes, so a tensor crosses the pipe without conversion.
 *
 * <pre>
 * parent -> child:  'R' int count, count x TENSOR        run the module on these positional inputs
 *                   'Q'                                   quit
 * child -> parent:  MAGIC 'Y' runtime-specific payload (versions, timings, signature)           ready
 *                   MAGIC 'O' int count, count x TENSOR                                            outputs
 *                   MAGIC 'E' STRING phase ("load" or "run"), STRING message                       failure
 * TENSOR = int onnxDataType, int rank, rank x long dim, long byteCount, byteCount x byte
 * STRING = int byteCount, UTF-8 bytes
 * SIGNATURE = int count, count x (STRING name, int elemType (0 unknown, -1 not a tensor: then STRING its type),
 *             int rank (-1 unknown), rank x (byte 1 long value | byte 2 STRING symbol | byte 0))
 * </pre>
 *
 * Every child frame starts with {@link #MAGIC} because native code in the child may write to its stdout (a
 * TorchScript {@code print()} goes to std::cout, which is the same pipe): the parent skips such bytes up to the next
 * magic and keeps them as diagnostics instead of misreading them as a frame. Everything read is checked against
 * limits before anything is allocated, so a corrupted stream is an {@link IOException}, never a huge allocation.
 */
public final class WorkerWire {

    public static final byte RUN = 'R';
    public static final byte QUIT = 'Q';
    public static final byte READY = 'Y';
    public static final byte OUTPUTS = 'O';
    public static final byte ERROR = 'E';

    /** Starts every child frame; chosen so that it cannot occur in text a native library prints. */
    public static final byte[] MAGIC = {(byte) 0xFE, 'M', 'T', 'W'};

    public static final int MAX_STRAY_BYTES = 8192;
    private static final int MAX_RANK = 64;
    private static final int MAX_TENSORS = 1 << 16;
    private static final int MAX_STRING_BYTES = 1 << 20;
    /** One Java array; a larger tensor cannot be an IR tensor over a heap buffer anyway. */
    private static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 16;

    private WorkerWire() {
    }

    /** Starts a child frame of {@code kind}. */
    public static void writeFrameStart(DataOutputStream out, byte kind) throws IOException {
        out.write(MAGIC);
        out.writeByte(kind);
    }

    public static void writeTensors(DataOutputStream out, List<Tensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Tensor t : tensors) {
            writeTensor(out, t);
        }
    }

    public static void writeTensor(DataOutputStream out, Tensor t) throws IOException {
        if (t.dataType() == DataType.STRING) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' holds strings, which the worker "
                    + "protocol does not carry");
        }
        out.writeInt(t.dataType().code());
        out.writeInt(t.rank());
        for (long d : t.dims()) {
            out.writeLong(d);
        }
        ByteBuffer raw = t.rawBytes();
        out.writeLong(raw.remaining());
        Channels.newChannel(out).write(raw);
    }

    /** Writes a UTF-8 string, cut to the limit the reader accepts. */
    public static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, MAX_STRING_BYTES);
        out.writeInt(n);
        out.write(bytes, 0, n);
    }

    /** Reads tensors named {@code prefix0, prefix1, ...}; callers rename them to the model's names. */
    public static List<Tensor> readTensors(DataInputStream in, String prefix) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_TENSORS) {
            throw new IOException("corrupt frame: " + count + " tensors");
        }
        List<Tensor> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(readTensor(in, prefix + i));
        }
        return out;
    }

    public static Tensor readTensor(DataInputStream in, String name) throws IOException {
        int code = in.readInt();
        DataType type = DataType.fromCode(code).filter(t -> t != DataType.STRING)
                .orElseThrow(() -> new IOException("corrupt frame: tensor data type " + code));
        int rank = in.readInt();
        if (rank < 0 || rank > MAX_RANK) {
            throw new IOException("corrupt frame: rank " + rank);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readLong();
            if (dims[i] < 0) {
                throw new IOException("corrupt frame: dimension " + dims[i]);
            }
        }
        long expected;
        try {
            expected = type.byteSize(Tensor.elementCount(dims));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IOException("corrupt frame: " + e.getMessage(), e);
        }
        long byteCount = in.readLong();
        if (byteCount != expected || byteCount > MAX_TENSOR_BYTES) {
            throw new IOException("corrupt frame: " + byteCount + " bytes for a " + type + " tensor of dims "
                    + java.util.Arrays.toString(dims) + " (needs " + expected + ", at most " + MAX_TENSOR_BYTES + ")");
        }
        byte[] bytes = new byte[(int) byteCount];
        in.readFully(bytes);
        return Tensor.ofRaw(name, type, dims, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Writes input or output names and types (ONNX Runtime's view of the model, for the parent's ModelRunner). */
    public static void writeSignature(DataOutputStream out, Map<String, ValueType> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, ValueType> e : values.entrySet()) {
            writeString(out, e.getKey());
            if (!(e.getValue() instanceof ValueType.TensorType tt)) {
                out.writeInt(-1);
                writeString(out, e.getValue().toString());
                continue;
            }
            out.writeInt(tt.elemType() == null ? 0 : tt.elemType().code());
            out.writeInt(tt.shape() == null ? -1 : tt.shape().rank());
            for (int i = 0; tt.shape() != null && i < tt.shape().rank(); i++) {
                Dim d = tt.shape().dim(i);
                if (d.isKnown()) {
                    out.writeByte(1);
                    out.writeLong(d.value());
                } else if (d.isSymbolic()) {
                    out.writeByte(2);
                    writeString(out, d.param());
                } else {
                    out.writeByte(0);
                }
            }
        }
    }

    /**
     * Reads what {@link #writeSignature} wrote. A value that is not a tensor comes back as an opaque type carrying
     * its description, which a run then refuses.
     */
    public static Map<String, ValueType> readSignature(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_TENSORS) {
            throw new IOException("corrupt frame: " + count + " values in a signature");
        }
        Map<String, ValueType> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            int code = in.readInt();
            if (code == -1) {
                values.put(name, new ValueType.OpaqueType("", readString(in), null));
                continue;
            }
            DataType type = code == 0 ? null : DataType.fromCode(code)
                    .orElseThrow(() -> new IOException("corrupt frame: data type " + code));
            int rank = in.readInt();
            if (rank < -1 || rank > MAX_RANK) {
                throw new IOException("corrupt frame: rank " + rank);
            }
            Shape shape = null;
            if (rank >= 0) {
                List<Dim> dims = new ArrayList<>(rank);
                for (int d = 0; d < rank; d++) {
                    int kind = in.readByte();
                    dims.add(switch (kind) {
                        case 1 -> Dim.of(in.readLong());
                        case 2 -> Dim.symbolic(readString(in));
                        case 0 -> Dim.unknown();
                        default -> throw new IOException("corrupt frame: dimension kind " + kind);
                    });
                }
                shape = new Shape(dims);
            }
            values.put(name, new ValueType.TensorType(type, shape));
        }
        return values;
    }

    public static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING_BYTES) {
            throw new IOException("corrupt frame: string of " + n + " bytes");
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Reads up to and including the next {@link #MAGIC} and returns the frame kind after it. Bytes before the magic
     * are stray output of the child; the first {@link #MAX_STRAY_BYTES} of them go to {@code stray}.
     *
     * @throws EOFException when the stream ends first (the child exited or was killed)
     */
    public static byte readFrameStart(InputStream in, ByteArrayOutputStream stray) throws IOException {
        int matched = 0;
        while (matched < MAGIC.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the worker closed its output");
            }
            if ((byte) b == MAGIC[matched]) {
                matched++;
                continue;
            }
            // The magic's first byte does not recur in it, so a failed partial match restarts cleanly.
            keep(stray, MAGIC, matched);
            matched = 0;
            if ((byte) b == MAGIC[0]) {
                matched = 1;
            } else {
                keep(stray, new byte[] {(byte) b}, 1);
            }
        }
        int kind = in.read();
        if (kind < 0) {
            throw new EOFException("the worker closed its output inside a frame");
        }
        return (byte) kind;
    }

    private static void keep(ByteArrayOutputStream stray, byte[] bytes, int n) {
        int room = MAX_STRAY_BYTES - stray.size();
        if (room > 0) {
            stray.write(bytes, 0, Math.min(n, room));
        }
    }
}
