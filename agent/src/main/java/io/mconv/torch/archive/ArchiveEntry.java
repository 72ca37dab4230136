package io.mconv.torch.archive;

/**
 * One zip entry as the central directory declares it, after {@link ZipArchive} has checked it against its local
 * header. {@code dataOffset} is where its (compressed) bytes start in the file.
 */
public record ArchiveEntry(String name, int method, int flags, long crc32, long compressedSize, long size,
                           long localHeaderOffset, long dataOffset) {

    static final int STORED = 0;
    static final int DEFLATED = 8;

    public boolean isStored() {
        return method == STORED;
    }

    public boolean isDirectory() {
        return name.endsWith("/");
    }

    /** Where this entry's bytes end in the file. */
    long dataEnd() {
        return dataOffset + compressedSize;
    }

    ArchiveEntry withDataOffset(long offset) {
        return new ArchiveEntry(name, method, flags, crc32, compressedSize, size, localHeaderOffset, offset);
    }
}
