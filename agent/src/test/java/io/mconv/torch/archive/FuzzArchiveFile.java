package io.mconv.torch.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Turns fuzzer bytes into a file for {@link TorchScriptArchiveFuzzTest}. The first byte picks the form: 0 writes the
 * rest as it is (a raw zip, a legacy torch.save pickle, garbage); anything else reads the rest as entries,
 * {@code [name length u8][name][data length u16 LE][data]} repeated, and writes them as a zip of stored entries
 * with correct CRCs, the way torch writes archives. tools/fuzz/pt_to_frames.py converts real archives to seeds.
 */
final class FuzzArchiveFile {

    private FuzzArchiveFile() {
    }

    static Path write(byte[] data, Path file) throws IOException {
        return ScratchFile.overwrite(file, archiveBytes(data));
    }

    /** The file's bytes: built in memory, so that the file is written once per input (see {@link ScratchFile}). */
    private static byte[] archiveBytes(byte[] data) throws IOException {
        if (data.length == 0 || data[0] == 0) {
            return data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 1024);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            Set<String> names = new HashSet<>();
            int p = 1;
            while (p < data.length) {
                int nameLength = data[p++] & 0xff;
                String name = new String(data, p, Math.min(nameLength, data.length - p), StandardCharsets.UTF_8);
                p = Math.min(p + nameLength, data.length);
                int dataLength = p + 2 <= data.length ? (data[p] & 0xff) | (data[p + 1] & 0xff) << 8 : 0;
                p = Math.min(p + 2, data.length);
                int n = Math.min(dataLength, data.length - p);
                if (!name.isEmpty() && names.add(name)) {
                    storeEntry(zip, name, data, p, n);
                }
                p += n;
            }
        }
        return out.toByteArray();
    }

    private static void storeEntry(ZipOutputStream zip, String name, byte[] data, int offset, int length)
            throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        e.setCrc(crc.getValue());
        e.setSize(length);
        e.setCompressedSize(length);
        zip.putNextEntry(e);
        zip.write(data, offset, length);
        zip.closeEntry();
    }
}
