package io.mconv.torch.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, for valid pickles of known content and for malformed and hostile ones. */
public final class PickleBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PickleBuilder proto(int version) {
        return op(0x80).raw(version);
    }

    public PickleBuilder op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleBuilder raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    public PickleBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** GLOBAL 'module\nname\n' (protocol 2). */
    public PickleBuilder global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** BINUNICODE with a 4-byte length. */
    public PickleBuilder string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').int32(b.length).raw(b);
    }

    public PickleBuilder shortString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op(0x8c).raw(b.length).raw(b);
    }

    public PickleBuilder int1(int v) {
        return op('K').raw(v);
    }

    public PickleBuilder binint(int v) {
        return op('J').int32(v);
    }

    public PickleBuilder binfloat(double v) {
        return op('G').raw(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
    }

    public PickleBuilder int32(int v) {
        return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    public PickleBuilder int64(long v) {
        return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    public PickleBuilder mark() {
        return op('(');
    }

    public PickleBuilder tuple() {
        return op('t');
    }

    public PickleBuilder reduce() {
        return op('R');
    }

    public PickleBuilder stop() {
        return op('.');
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    /**
     * {@code _rebuild_tensor_v2(persistent('storage', <storageClass>, key, 'cpu', numel), offset, sizes, strides,
     * False, OrderedDict())}, as torch writes it.
     */
    public PickleBuilder tensor(String storageClass, String key, long numel, long offset, long[] sizes,
                                long[] strides) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().string("storage").global("torch", storageClass).string(key).string("cpu").binint((int) numel).tuple();
        op('Q');
        binint((int) offset);
        mark();
        for (long s : sizes) {
            binint((int) s);
        }
        tuple().mark();
        for (long s : strides) {
            binint((int) s);
        }
        tuple();
        op(0x89);
        global("collections", "OrderedDict").op(')').reduce();
        return tuple().reduce();
    }
}
