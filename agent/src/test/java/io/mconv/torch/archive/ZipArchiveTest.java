package io.mconv.torch.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.testing.ZipBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zip reader on zips written by the JDK and by hand: contents, mapping, zip64, and the checks per entry. */
class ZipArchiveTest {

    @TempDir
    Path dir;

    private static final byte[] TEXT = "def forward(self, x):\n    return x\n".repeat(50).getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = new byte[4096];

    static {
        for (int i = 0; i < DATA.length; i++) {
            DATA[i] = (byte) (i * 31 + 7);
        }
    }

    /** A zip from java.util.zip.ZipOutputStream: one deflated entry (with a data descriptor) and one stored. */
    private Path jdkZip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("m/code/a.py"));
            zip.write(TEXT);
            zip.closeEntry();
            ZipEntry stored = new ZipEntry("m/data/0");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(DATA.length);
            CRC32 crc = new CRC32();
            crc.update(DATA);
            stored.setCrc(crc.getValue());
            zip.putNextEntry(stored);
            zip.write(DATA);
            zip.closeEntry();
        }
        return Files.write(dir.resolve("jdk.zip"), bytes.toByteArray());
    }

    @Test
    void readsAndMapsWhatTheJdkWrites() throws Exception {
        try (ZipArchive zip = ZipArchive.open(jdkZip())) {
            assertEquals(List.of("m/code/a.py", "m/data/0"), zip.entries().stream().map(ArchiveEntry::name).toList());
            ArchiveEntry code = zip.entry("m/code/a.py").orElseThrow();
            assertEquals(ArchiveEntry.DEFLATED, code.method());
            assertTrue(code.compressedSize() < code.size());
            assertArrayEquals(TEXT, zip.read(code, 1 << 20));

            ArchiveEntry data = zip.entry("m/data/0").orElseThrow();
            ByteBuffer mapped = zip.map(data);
            assertTrue(mapped.isDirect() && mapped.isReadOnly());
            byte[] back = new byte[DATA.length];
            mapped.get(back);
            assertArrayEquals(DATA, back);
            assertArrayEquals(DATA, zip.read(data, DATA.length));
        }
    }

    @Test
    void zip64RecordsAndExtras() throws Exception {
        ZipBuilder b = new ZipBuilder().zip64();
        b.add("m/code/a.py", TEXT).deflated();
        b.add("m/data/0", DATA);
        try (ZipArchive zip = ZipArchive.open(Files.write(dir.resolve("z64.zip"), b.build()))) {
            assertArrayEquals(TEXT, zip.read(zip.entry("m/code/a.py").orElseThrow(), 1 << 20));
            assertEquals(DATA.length, zip.map(zip.entry("m/data/0").orElseThrow()).capacity());
        }
    }

    @Test
    void sizeCapIsCheckedBeforeReading() throws Exception {
        try (ZipArchive zip = ZipArchive.open(jdkZip())) {
            ArchiveEntry code = zip.entry("m/code/a.py").orElseThrow();
            InvalidModelException e = assertThrows(InvalidModelException.class, () -> zip.read(code, 100));
            assertTrue(e.getMessage().endsWith("entry 'm/code/a.py' is " + TEXT.length
                    + " bytes, more than the 100 allowed for it"), e.getMessage());
        }
    }

    private static byte[] oneStored(String name) {
        ZipBuilder b = new ZipBuilder();
        b.add(name, DATA);
        return b.build();
    }

    @Test
    void damagedDataIsCaughtByTheCrc() throws Exception {
        byte[] zip = oneStored("m/data/0");
        zip[30 + "m/data/0".length() + 10] ^= 1;      // one bit inside the stored data
        Path file = Files.write(dir.resolve("crc.zip"), zip);
        try (ZipArchive a = ZipArchive.open(file)) {
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> a.read(a.entries().get(0), DATA.length));
            assertEquals(file + ": entry 'm/data/0' is damaged (CRC mismatch)", e.getMessage());
        }
    }

    @Test
    void overlappingEntriesAreRefused() throws Exception {
        // Entry m/a claims 100 bytes more than it has, in both headers, so its data runs over m/b's local header:
        // overlapping entries are how the densest zip bombs reuse one compressed stream.
        ZipBuilder b = new ZipBuilder();
        b.add("m/a", DATA);
        b.add("m/b", DATA);
        byte[] zip = b.build();
        ByteBuffer buf = ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int cd = buf.getInt(zip.length - 22 + 16);
        int longer = DATA.length + 100;
        buf.putInt(18, longer).putInt(22, longer).putInt(cd + 20, longer).putInt(cd + 24, longer);
        Path file = Files.write(dir.resolve("overlap.zip"), zip);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ZipArchive.open(file));
        assertEquals(file + ": entry 'm/a' overlaps the next entry or the central directory", e.getMessage());
    }

    @Test
    void encryptedAndUnknownMethodsAreRefused() throws Exception {
        byte[] zip = oneStored("m/a");
        ByteBuffer b = ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int cd = b.getInt(zip.length - 22 + 16);
        byte[] encrypted = zip.clone();
        encrypted[cd + 8] |= 1;
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> ZipArchive.open(Files.write(dir.resolve("enc.zip"), encrypted)));
        assertTrue(e.getMessage().endsWith("entry 'm/a' is encrypted"), e.getMessage());
        byte[] bzip2 = zip.clone();
        bzip2[cd + 10] = 12;
        e = assertThrows(InvalidModelException.class, () -> ZipArchive.open(Files.write(dir.resolve("bz.zip"), bzip2)));
        assertTrue(e.getMessage().contains("compression method 12"), e.getMessage());
    }

    @Test
    void onlyWholeDotDotSegmentsAreRefused() throws Exception {
        for (String bad : List.of("..", "../a", "m/..", "m/../a", "m\\..\\a", "m/..\\a")) {
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> ZipArchive.open(Files.write(dir.resolve("bad.zip"), oneStored(bad))), bad);
            assertTrue(e.getMessage().endsWith("has '..' in its name"), e.getMessage());
        }
        for (String fine : List.of("m/..a", "m/a..", "m/.../a", "m/./a", "m/.", "..m/a", "m//a")) {
            try (ZipArchive zip = ZipArchive.open(Files.write(dir.resolve("fine.zip"), oneStored(fine)))) {
                assertEquals(List.of(fine), zip.entries().stream().map(ArchiveEntry::name).toList());
            }
        }
    }
}
