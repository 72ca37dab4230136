package io.mconv.torch.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip files byte by byte, so tests can make the broken and hostile ones no zip library would write: names
 * with {@code ..}, duplicates, local headers that disagree with the central directory, lying sizes, zip64 records.
 */
public final class ZipBuilder {

    /** One entry; the override fields, when set, replace what would be written honestly. */
    public static final class Entry {
        final String name;
        final byte[] data;
        boolean deflate;
        String localName;
        Integer localMethod;
        Long localSize;
        Long centralSize;
        Long centralCompressedSize;
        byte[] rawCompressed;

        Entry(String name, byte[] data) {
            this.name = name;
            this.data = data;
        }

        public Entry deflated() {
            deflate = true;
            return this;
        }

        public Entry localName(String n) {
            localName = n;
            return this;
        }

        public Entry localMethod(int m) {
            localMethod = m;
            return this;
        }

        public Entry localSize(long s) {
            localSize = s;
            return this;
        }

        /** The uncompressed size the central directory declares. */
        public Entry centralSize(long s) {
            centralSize = s;
            return this;
        }

        public Entry centralCompressedSize(long s) {
            centralCompressedSize = s;
            return this;
        }

        /** Deflated bytes written as they are (for bombs made elsewhere); the data given is then unused. */
        public Entry rawDeflated(byte[] compressed) {
            deflate = true;
            rawCompressed = compressed;
            return this;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private boolean zip64;

    public Entry add(String name, byte[] data) {
        Entry e = new Entry(name, data);
        entries.add(e);
        return e;
    }

    public Entry add(String name, String text) {
        return add(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes zip64 extras for every entry and a zip64 end record, as a writer does for huge archives. */
    public ZipBuilder zip64() {
        zip64 = true;
        return this;
    }

    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] stored = e.rawCompressed != null ? e.rawCompressed : e.deflate ? deflate(e.data) : e.data;
            CRC32 crc = new CRC32();
            crc.update(e.data);
            int method = e.deflate ? 8 : 0;
            long offset = out.size();
            byte[] localName = (e.localName != null ? e.localName : e.name).getBytes(StandardCharsets.UTF_8);
            long localSize = e.localSize != null ? e.localSize : e.data.length;
            ByteBuffer lh = le(30);
            lh.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800)
                    .putShort((short) (e.localMethod != null ? e.localMethod : method)).putShort((short) 0)
                    .putShort((short) 0x21).putInt((int) crc.getValue()).putInt((int) stored.length)
                    .putInt((int) localSize).putShort((short) localName.length).putShort((short) 0);
            out.writeBytes(lh.array());
            out.writeBytes(localName);
            out.writeBytes(stored);

            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            long size = e.centralSize != null ? e.centralSize : e.data.length;
            long compressed = e.centralCompressedSize != null ? e.centralCompressedSize : stored.length;
            ByteBuffer extra = le(zip64 ? 28 : 0);
            if (zip64) {
                extra.putShort((short) 1).putShort((short) 24).putLong(size).putLong(compressed).putLong(offset);
            }
            ByteBuffer ch = le(46);
            ch.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0x0800)
                    .putShort((short) method).putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) crc.getValue())
                    .putInt(zip64 ? -1 : (int) compressed).putInt(zip64 ? -1 : (int) size)
                    .putShort((short) name.length).putShort((short) extra.capacity()).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(zip64 ? -1 : (int) offset);
            central.writeBytes(ch.array());
            central.writeBytes(name);
            central.writeBytes(extra.array());
        }
        long cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        long cdSize = central.size();
        if (zip64) {
            long recordOffset = out.size();
            ByteBuffer r = le(56);
            r.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(entries.size()).putLong(entries.size()).putLong(cdSize).putLong(cdOffset);
            out.writeBytes(r.array());
            ByteBuffer loc = le(20);
            loc.putInt(0x07064b50).putInt(0).putLong(recordOffset).putInt(1);
            out.writeBytes(loc.array());
        }
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) (zip64 ? 0xffff : entries.size())).putShort((short) (zip64 ? 0xffff : entries.size()))
                .putInt(zip64 ? -1 : (int) cdSize).putInt(zip64 ? -1 : (int) cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
