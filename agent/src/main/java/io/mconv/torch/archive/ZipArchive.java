package io.mconv.torch.archive;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.ReadableFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A read-only zip archive on a {@link FileChannel}, written for hostile input (java.util.zip.ZipFile would decide
 * for us what to trust). Opening reads the end record (zip64 too) and the central directory, and checks every
 * entry's local header against it: names, method and sizes must agree, no entry may overlap another or the
 * directory, and names that could escape a folder ({@code ..}, leading {@code /} or {@code \}) or repeat are
 * refused. Small entries are read into memory under a size cap, with the inflate ratio and the declared size
 * enforced while inflating; stored entries can be mapped without copying.
 *
 * <p>Mappings outlive {@link #close()} (the JDK unmaps them when they become unreachable), so tensors that view
 * them stay valid after the channel is closed. Every failure is an {@link InvalidModelException} naming the file.
 */
public final class ZipArchive implements AutoCloseable {

    private static final int LOCAL_SIG = 0x04034b50;
    private static final int LOCAL_HEADER_SIZE = 30;
    private static final int DATA_DESCRIPTOR_FLAG = 1 << 3;
    private static final long U32_MAX = 0xffffffffL;
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final List<ArchiveEntry> entries;
    private final Map<String, ArchiveEntry> byName;
    private final Limits limits;

    private ZipArchive(Path file, FileChannel channel, List<ArchiveEntry> entries, Limits limits) {
        this.file = file;
        this.channel = channel;
        this.limits = limits;
        this.entries = Collections.unmodifiableList(entries);
        Map<String, ArchiveEntry> m = new LinkedHashMap<>();
        for (ArchiveEntry e : entries) {
            m.put(e.name(), e);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /**
     * Opens and checks a zip archive.
     *
     * @throws InvalidModelException not a regular readable file, not a zip, or a zip that fails a check
     */
    public static ZipArchive open(Path file) {
        return open(file, Limits.defaults());
    }

    /**
     * Opens and checks a zip archive under {@code limits}, which it keeps for the readers of its entries.
     *
     * @throws InvalidModelException not a regular readable file, not a zip, or a zip that fails a check
     */
    public static ZipArchive open(Path file, Limits limits) {
        ReadableFile.require(file, "a zip archive");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot open: " + e.getMessage(), e);
        }
        try {
            ZipDirectory.Listing listing = ZipDirectory.read(file, channel, limits);
            List<ArchiveEntry> checked = new ArrayList<>(listing.entries().size());
            for (ArchiveEntry e : listing.entries()) {
                checked.add(checkLocalHeader(file, channel, e));
            }
            checkNoOverlap(file, checked, listing.centralDirectoryOffset());
            return new ZipArchive(file, channel, checked, limits);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new InvalidModelException(file, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The local header repeats the name, method and sizes; a reader that trusts one and not the other is fooled. */
    private static ArchiveEntry checkLocalHeader(Path file, FileChannel channel, ArchiveEntry e) throws IOException {
        String where = "entry " + ZipDirectory.quote(e.name());
        int nameBytes = e.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (e.localHeaderOffset() + LOCAL_HEADER_SIZE + nameBytes > channel.size()) {
            throw new InvalidModelException(file, where + ": its local header lies beyond the end of the file");
        }
        ByteBuffer h = ChannelReads.readFully(channel, e.localHeaderOffset(), LOCAL_HEADER_SIZE + nameBytes, file);
        if (h.getInt(0) != LOCAL_SIG) {
            throw new InvalidModelException(file, where + ": no local header at offset " + e.localHeaderOffset());
        }
        int method = h.getShort(8) & 0xffff;
        long crc = h.getInt(14) & U32_MAX;
        long compressed = h.getInt(18) & U32_MAX;
        long size = h.getInt(22) & U32_MAX;
        int nameLength = h.getShort(26) & 0xffff;
        int extraLength = h.getShort(28) & 0xffff;
        byte[] localName = new byte[nameBytes];
        h.position(LOCAL_HEADER_SIZE);
        h.get(localName);
        if (nameLength != nameBytes || !new String(localName, java.nio.charset.StandardCharsets.UTF_8).equals(e.name())) {
            throw new InvalidModelException(file, where + ": the local header names a different entry");
        }
        if (method != e.method()) {
            throw new InvalidModelException(file, where + ": local header says compression method " + method
                    + ", central directory says " + e.method());
        }
        long dataOffset = e.localHeaderOffset() + LOCAL_HEADER_SIZE + nameLength + extraLength;
        if (compressed == U32_MAX || size == U32_MAX) {
            long[] z64 = localZip64Sizes(file, channel, e, nameLength, extraLength, size == U32_MAX,
                    compressed == U32_MAX);
            size = size == U32_MAX ? z64[0] : size;
            compressed = compressed == U32_MAX ? z64[1] : compressed;
        }
        // With a data descriptor (flag bit 3; torch's writer sets it) the local sizes and CRC may be zero.
        boolean deferred = (h.getShort(6) & DATA_DESCRIPTOR_FLAG) != 0 && compressed == 0 && size == 0 && crc == 0;
        if (!deferred && (compressed != e.compressedSize() || size != e.size() || crc != e.crc32())) {
            throw new InvalidModelException(file, where + ": local header declares " + compressed + "/" + size
                    + " bytes (compressed/size), central directory " + e.compressedSize() + "/" + e.size());
        }
        return e.withDataOffset(dataOffset);
    }

    private static long[] localZip64Sizes(Path file, FileChannel channel, ArchiveEntry e, int nameLength,
                                          int extraLength, boolean sizeSaturated, boolean compressedSaturated)
            throws IOException {
        long at = e.localHeaderOffset() + LOCAL_HEADER_SIZE + nameLength;
        if (at + extraLength > channel.size()) {
            throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                    + ": its local extra field lies beyond the end of the file");
        }
        ByteBuffer x = ChannelReads.readFully(channel, at, extraLength, file);
        while (x.remaining() >= 4) {
            int id = x.getShort() & 0xffff;
            int len = x.getShort() & 0xffff;
            if (len > x.remaining()) {
                break;
            }
            if (id == 0x0001) {
                long size = sizeSaturated && len >= 8 ? x.getLong() : -1;
                long compressed = compressedSaturated && x.remaining() >= 8 ? x.getLong() : -1;
                return new long[] {size, compressed};
            }
            x.position(x.position() + len);
        }
        throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                + ": its local header has saturated sizes but no zip64 extra field");
    }

    /** Overlapping entries are how the densest zip bombs reuse one compressed stream many times. */
    private static void checkNoOverlap(Path file, List<ArchiveEntry> entries, long centralDirectory) {
        List<ArchiveEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(ArchiveEntry::localHeaderOffset));
        for (int i = 0; i < byOffset.size(); i++) {
            ArchiveEntry e = byOffset.get(i);
            long limit = i + 1 < byOffset.size() ? byOffset.get(i + 1).localHeaderOffset() : centralDirectory;
            if (e.dataOffset() > limit || e.compressedSize() > limit - e.dataOffset()) {
                throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                        + " overlaps the next entry or the central directory");
            }
        }
    }

    public Path path() {
        return file;
    }

    /** Every entry in central directory order. */
    /** The limits the archive was opened with; readers of its entries apply them too. */
    public Limits limits() {
        return limits;
    }

    public List<ArchiveEntry> entries() {
        return entries;
    }

    public Optional<ArchiveEntry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * An entry's bytes in memory, inflated if needed; refused when the entry is larger than {@code maxBytes}, when
     * it inflates to more or fewer bytes than it declares, or when its CRC does not match.
     */
    /** {@link #read(ArchiveEntry, long)} bounded by one of this archive's limits, named when it is exceeded. */
    public byte[] read(ArchiveEntry e, Limit limit) {
        long maxBytes = limits.get(limit);
        if (e.size() > maxBytes) {
            throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name()) + " is " + e.size()
                    + " bytes: " + limit.exceeded(maxBytes));
        }
        return read(e, maxBytes);
    }

    public byte[] read(ArchiveEntry e, long maxBytes) {
        if (e.size() > maxBytes) {
            throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name()) + " is " + e.size()
                    + " bytes, more than the " + maxBytes + " allowed for it");
        }
        try {
            byte[] out = e.isStored() ? readStored(e) : inflate(e);
            CRC32 crc = new CRC32();
            crc.update(out);
            if (crc.getValue() != e.crc32()) {
                throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                        + " is damaged (CRC mismatch)");
            }
            return out;
        } catch (IOException ex) {
            throw new InvalidModelException(file, "cannot read entry " + ZipDirectory.quote(e.name()) + ": "
                    + ex.getMessage(), ex);
        }
    }

    private byte[] readStored(ArchiveEntry e) throws IOException {
        byte[] out = new byte[(int) e.size()];
        ChannelReads.readFully(channel, e.dataOffset(), ByteBuffer.wrap(out), file);
        return out;
    }

    /**
     * Inflates into an array of exactly the declared size (already capped and ratio-checked), so memory is bounded
     * by the declaration; one byte more than declared is a refusal, whatever the stream would go on to produce.
     */
    private byte[] inflate(ArchiveEntry e) throws IOException {
        byte[] out = new byte[(int) e.size()];
        Inflater inflater = new Inflater(true);
        try {
            ByteBuffer in = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, e.compressedSize())));
            long read = 0;
            int produced = 0;
            byte[] probe = new byte[1];
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (read >= e.compressedSize()) {
                        throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                                + ": the compressed data ends early (truncated deflate stream)");
                    }
                    in.clear();
                    in.limit((int) Math.min(in.capacity(), e.compressedSize() - read));
                    ChannelReads.readFully(channel, e.dataOffset() + read, in, file);
                    read += in.limit();
                    in.flip();
                    inflater.setInput(in);
                }
                int n = produced < out.length ? inflater.inflate(out, produced, out.length - produced)
                        : inflater.inflate(probe);
                if (produced >= out.length && n > 0) {
                    throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                            + " inflates to more than its declared " + e.size() + " bytes");
                }
                produced += n;
                if (n == 0 && inflater.needsDictionary()) {
                    throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                            + ": deflate stream needs a preset dictionary");
                }
            }
            if (produced != out.length) {
                throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name()) + " inflates to "
                        + produced + " bytes but declares " + e.size());
            }
            return out;
        } catch (DataFormatException ex) {
            throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                    + ": invalid deflate data (" + ex.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    /**
     * A stored entry's bytes as a read-only little-endian mapping of the file (one mapping per entry, no copy).
     *
     * @throws InvalidModelException the entry is compressed or larger than 2 GiB (a Java buffer's limit)
     */
    public ByteBuffer map(ArchiveEntry e) {
        if (!e.isStored()) {
            throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name())
                    + " is compressed; tensor data must be stored uncompressed as torch writes it");
        }
        if (e.size() > Integer.MAX_VALUE) {
            throw new InvalidModelException(file, "entry " + ZipDirectory.quote(e.name()) + " is " + e.size()
                    + " bytes; entries over 2 GiB are not supported yet");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, e.dataOffset(), e.size()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new InvalidModelException(file, "cannot map entry " + ZipDirectory.quote(e.name()) + ": "
                    + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only: nothing can be lost by a failed close.
        }
    }
}
