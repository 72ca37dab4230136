package io.mconv.torch.archive;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and checks a zip's end-of-central-directory record (zip64 too) and its central directory. Everything it
 * returns has been bounded against the file size: a declared size, offset or count that cannot fit in the file is
 * refused here, before anything of that size is allocated or read.
 */
final class ZipDirectory {

    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int EOCD_SIZE = 22;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final long U32_MAX = 0xffffffffL;
    // Central directories of torch archives are kilobytes; Limit.ZIP_DIRECTORY_SIZE bounds the one allocation
    // made from the file. Deflated entries inflating to more than Limit.INFLATE_RATIO times their compressed size
    // are refused as zip bombs.
    /**
     * Entries below this size are exempt from the ratio check: a few KB of repetitive text can compress 100:1
     * legitimately, and output that small cannot exhaust memory.
     */
    static final long RATIO_EXEMPT_BYTES = 1L << 20;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private final long maxCentralDirectory;
    private final long maxInflateRatio;

    /** The checked entries in directory order, and where the directory starts (no entry data may reach it). */
    record Listing(List<ArchiveEntry> entries, long centralDirectoryOffset) {
    }

    private ZipDirectory(Path file, FileChannel channel, long fileSize, Limits limits) {
        this.file = file;
        this.channel = channel;
        this.fileSize = fileSize;
        this.maxCentralDirectory = limits.get(Limit.ZIP_DIRECTORY_SIZE);
        this.maxInflateRatio = limits.get(Limit.INFLATE_RATIO);
    }

    static Listing read(Path file, FileChannel channel, Limits limits) throws IOException {
        ZipDirectory d = new ZipDirectory(file, channel, channel.size(), limits);
        return d.read();
    }

    private Listing read() throws IOException {
        long eocd = findEndRecord();
        ByteBuffer end = readAt(eocd, EOCD_SIZE);
        int disk = end.getShort(4) & 0xffff;
        int cdDisk = end.getShort(6) & 0xffff;
        long entriesOnDisk = end.getShort(8) & 0xffff;
        long entries = end.getShort(10) & 0xffff;
        long cdSize = end.getInt(12) & U32_MAX;
        long cdOffset = end.getInt(16) & U32_MAX;
        long cdLimit = eocd;
        if (entries == 0xffff || cdSize == U32_MAX || cdOffset == U32_MAX) {
            long[] z = readZip64End(eocd);
            entriesOnDisk = z[0];
            entries = z[1];
            cdSize = z[2];
            cdOffset = z[3];
            cdLimit = z[4];
        } else if (disk != 0 || cdDisk != 0) {
            throw invalid("multi-disk zip archives are not supported");
        }
        if (entriesOnDisk != entries) {
            throw invalid("multi-disk zip archives are not supported");
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > cdLimit) {
            throw invalid("the central directory (" + cdSize + " bytes at offset " + cdOffset
                    + ") does not fit in the file; it is truncated or the file is damaged");
        }
        if (cdSize > maxCentralDirectory) {
            throw invalid("the central directory is " + cdSize + " bytes: "
                    + Limit.ZIP_DIRECTORY_SIZE.exceeded(maxCentralDirectory));
        }
        if (entries * CENTRAL_HEADER_SIZE > cdSize) {
            throw invalid("the end record declares " + entries + " entries, more than a " + cdSize
                    + "-byte central directory can hold (truncated central directory)");
        }
        return new Listing(parseCentralDirectory(readAt(cdOffset, (int) cdSize), (int) entries, cdOffset), cdOffset);
    }

    /** The end record is the last thing in the file, followed only by its own comment. */
    private long findEndRecord() throws IOException {
        if (fileSize < EOCD_SIZE) {
            throw invalid("not a zip archive (" + fileSize + " bytes, too short for an end of central directory record)");
        }
        int tail = (int) Math.min(fileSize, EOCD_SIZE + 0xffff);
        ByteBuffer b = readAt(fileSize - tail, tail);
        for (int i = tail - EOCD_SIZE; i >= 0; i--) {
            if (b.getInt(i) == EOCD_SIG) {
                int commentLength = b.getShort(i + 20) & 0xffff;
                if (i + EOCD_SIZE + commentLength == tail) {
                    return fileSize - tail + i;
                }
            }
        }
        throw invalid("not a zip archive (no end of central directory record)");
    }

    /** Returns entries on this disk, total entries, directory size, directory offset, and the directory limit. */
    private long[] readZip64End(long eocd) throws IOException {
        if (eocd < 20) {
            throw invalid("the end record asks for zip64 but there is no zip64 locator");
        }
        ByteBuffer locator = readAt(eocd - 20, 20);
        if (locator.getInt(0) != ZIP64_LOCATOR_SIG) {
            throw invalid("the end record asks for zip64 but there is no zip64 locator");
        }
        long recordOffset = locator.getLong(8);
        if (locator.getInt(4) != 0 || locator.getInt(16) > 1) {
            throw invalid("multi-disk zip archives are not supported");
        }
        if (recordOffset < 0 || recordOffset + 56 > eocd - 20) {
            throw invalid("the zip64 end record offset " + recordOffset + " lies outside the file");
        }
        ByteBuffer r = readAt(recordOffset, 56);
        if (r.getInt(0) != ZIP64_EOCD_SIG) {
            throw invalid("no zip64 end of central directory record at offset " + recordOffset);
        }
        if (r.getInt(16) != 0 || r.getInt(20) != 0) {
            throw invalid("multi-disk zip archives are not supported");
        }
        long onDisk = r.getLong(24);
        long total = r.getLong(32);
        long size = r.getLong(40);
        long offset = r.getLong(48);
        if (onDisk < 0 || total < 0 || size < 0 || offset < 0) {
            throw invalid("the zip64 end record holds negative counts or offsets");
        }
        return new long[] {onDisk, total, size, offset, recordOffset};
    }

    private List<ArchiveEntry> parseCentralDirectory(ByteBuffer cd, int count, long cdOffset) {
        List<ArchiveEntry> entries = new ArrayList<>(count);
        Set<String> names = new HashSet<>();
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (p + CENTRAL_HEADER_SIZE > cd.limit() || cd.getInt(p) != CENTRAL_SIG) {
                throw invalid("central directory entry " + i + " of " + count + " is missing or damaged "
                        + "(truncated central directory)");
            }
            int flags = cd.getShort(p + 8) & 0xffff;
            int method = cd.getShort(p + 10) & 0xffff;
            long crc = cd.getInt(p + 16) & U32_MAX;
            long compressed = cd.getInt(p + 20) & U32_MAX;
            long size = cd.getInt(p + 24) & U32_MAX;
            int nameLength = cd.getShort(p + 28) & 0xffff;
            int extraLength = cd.getShort(p + 30) & 0xffff;
            int commentLength = cd.getShort(p + 32) & 0xffff;
            int diskStart = cd.getShort(p + 34) & 0xffff;
            long localOffset = cd.getInt(p + 42) & U32_MAX;
            int next = p + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
            if (next > cd.limit()) {
                throw invalid("central directory entry " + i + " runs past the directory (truncated central directory)");
            }
            String name = decodeName(cd, p + CENTRAL_HEADER_SIZE, nameLength, i);
            // zip64: each field saturated at 0xffffffff is in the 0x0001 extra, in this order.
            if (size == U32_MAX || compressed == U32_MAX || localOffset == U32_MAX || diskStart == 0xffff) {
                ByteBuffer z = findExtra(cd, p + CENTRAL_HEADER_SIZE + nameLength, extraLength, name);
                if (size == U32_MAX) {
                    size = zip64Field(z, name);
                }
                if (compressed == U32_MAX) {
                    compressed = zip64Field(z, name);
                }
                if (localOffset == U32_MAX) {
                    localOffset = zip64Field(z, name);
                }
            }
            checkName(name, names);
            checkEntry(name, flags, method, compressed, size, localOffset, cdOffset);
            entries.add(new ArchiveEntry(name, method, flags, crc, compressed, size, localOffset, -1));
            p = next;
        }
        return entries;
    }

    private ByteBuffer findExtra(ByteBuffer cd, int at, int length, String name) {
        int end = at + length;
        while (at + 4 <= end) {
            int id = cd.getShort(at) & 0xffff;
            int size = cd.getShort(at + 2) & 0xffff;
            if (at + 4 + size > end) {
                break;
            }
            if (id == ZIP64_EXTRA_ID) {
                ByteBuffer z = cd.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                z.position(at + 4).limit(at + 4 + size);
                return z.slice().order(ByteOrder.LITTLE_ENDIAN);
            }
            at += 4 + size;
        }
        throw invalid("entry " + quote(name) + " has saturated sizes but no zip64 extra field");
    }

    private long zip64Field(ByteBuffer z, String name) {
        if (z.remaining() < 8) {
            throw invalid("entry " + quote(name) + " has a short zip64 extra field");
        }
        long v = z.getLong();
        if (v < 0) {
            throw invalid("entry " + quote(name) + " declares a negative zip64 size or offset");
        }
        return v;
    }

    private String decodeName(ByteBuffer cd, int at, int length, int index) {
        ByteBuffer raw = cd.duplicate();
        raw.position(at).limit(at + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw.slice()).toString();
        } catch (CharacterCodingException e) {
            throw invalid("central directory entry " + index + " has a name that is not valid UTF-8");
        }
    }

    /** Names that could escape a folder when extracted, or that make "the" entry of a name ambiguous. */
    private void checkName(String name, Set<String> seen) {
        if (name.isEmpty()) {
            throw invalid("an entry has an empty name");
        }
        if (name.indexOf('\0') >= 0) {
            throw invalid("entry " + quote(name) + " has a NUL character in its name");
        }
        if (name.charAt(0) == '/' || name.charAt(0) == '\\') {
            throw invalid("entry " + quote(name) + " has an absolute name");
        }
        if (hasDotDotSegment(name)) {
            throw invalid("entry " + quote(name) + " has '..' in its name");
        }
        if (!seen.add(name)) {
            throw invalid("entry " + quote(name) + " appears twice");
        }
    }

    /**
     * Whether a segment between separators (slash or backslash) is exactly {@code ..}. A scan of the chars,
     * not a regex split: it runs for every entry of every archive, and under the fuzzer each regex match and each
     * failed String.equals is traced, which made this check a large share of the time spent opening a zip.
     */
    static boolean hasDotDotSegment(String name) {
        int segmentStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            boolean end = i == name.length() || name.charAt(i) == '/' || name.charAt(i) == '\\';
            if (end) {
                if (i - segmentStart == 2 && name.charAt(segmentStart) == '.' && name.charAt(segmentStart + 1) == '.') {
                    return true;
                }
                segmentStart = i + 1;
            }
        }
        return false;
    }

    private void checkEntry(String name, int flags, int method, long compressed, long size, long localOffset,
                            long cdOffset) {
        if ((flags & 1) != 0) {
            throw invalid("entry " + quote(name) + " is encrypted");
        }
        if (method != ArchiveEntry.STORED && method != ArchiveEntry.DEFLATED) {
            throw invalid("entry " + quote(name) + " uses compression method " + method
                    + " (only stored and deflated are supported)");
        }
        if (localOffset > cdOffset || compressed > cdOffset - localOffset) {
            throw invalid("entry " + quote(name) + " declares " + compressed + " bytes at offset " + localOffset
                    + ", beyond the " + fileSize + "-byte file");
        }
        if (method == ArchiveEntry.STORED && compressed != size) {
            throw invalid("stored entry " + quote(name) + " declares " + compressed + " stored bytes but size "
                    + size);
        }
        if (method == ArchiveEntry.DEFLATED && size > RATIO_EXEMPT_BYTES
                && size / maxInflateRatio > compressed) {
            throw invalid("entry " + quote(name) + " would inflate " + compressed + " bytes to " + size
                    + " (ratio over " + maxInflateRatio + "; a zip bomb?): " + Limit.INFLATE_RATIO.exceeded(maxInflateRatio));
        }
    }

    private ByteBuffer readAt(long offset, int length) throws IOException {
        return ChannelReads.readFully(channel, offset, length, file);
    }

    private InvalidModelException invalid(String reason) {
        return new InvalidModelException(file, reason);
    }

    static String quote(String name) {
        return "'" + (name.length() > 200 ? name.substring(0, 200) + "..." : name) + "'";
    }
}
