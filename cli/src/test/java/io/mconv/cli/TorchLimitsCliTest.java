package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.limits.Limit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --limit} on a crafted TorchScript .pt: pickle-depth hit is exit 3 naming the limit; raised, ops are listed. */
class TorchLimitsCliTest {

    @TempDir
    Path dir;

    /**
     * data.pkl by hand (protocol 2): NEWOBJ of {@code __torch__.M}, BUILD with {"deep": a list nested
     * {@code depth} levels}.
     */
    private static byte[] dataPkl(int depth) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});
        p.writeBytes("c__torch__\nM\n".getBytes(StandardCharsets.US_ASCII));
        p.write(')');
        p.write(0x81);
        p.write('}');
        p.write(0x8c); // SHORT_BINUNICODE
        p.write(4);
        p.writeBytes("deep".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < depth; i++) {
            p.write(']');
        }
        for (int i = 1; i < depth; i++) {
            p.write('a');
        }
        p.write('s');
        p.write('b');
        p.write('.');
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private Path craftedPt(int depth) throws IOException {
        Path file = dir.resolve("deep.pt");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "m/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "m/data.pkl", dataPkl(depth));
            stored(zip, "m/code/__torch__.py", ("class M(Module):\n  __parameters__ = []\n  __buffers__ = []\n"
                    + "  def forward(self: __torch__.M,\n    x: Tensor) -> Tensor:\n    return torch.relu(x)\n")
                    .getBytes(StandardCharsets.UTF_8));
            stored(zip, "m/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        }
        return file;
    }

    @Test
    void pickleDepthHitThenRaised() throws IOException {
        Path pt = craftedPt(40);
        CliRun hit = CliRun.of("convert", pt.toString(), "--to", "onnx", "--list-ops", "--limit", "pickle-depth=20");
        assertEquals(3, hit.exitCode(), hit.err());
        assertEquals(1, hit.errLines(), hit.err());
        assertTrue(hit.err().contains(pt + ": data.pkl, byte "), hit.err());
        assertTrue(hit.err().contains("exceeds limit pickle-depth=20; raise it with --limit pickle-depth=N"),
                hit.err());

        CliRun raised = CliRun.of("convert", pt.toString(), "--to", "onnx", "--list-ops", "--limit",
                "pickle-depth=50");
        assertEquals(0, raised.exitCode(), raised.err());
        assertTrue(raised.out().contains("aten::relu") && raised.out().contains("covered"), raised.out());
    }

    @Test
    void helpListsEveryLimitName() {
        CliRun help = CliRun.of("convert", "--help");
        assertEquals(0, help.exitCode(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        for (Limit limit : Limit.values()) {
            assertTrue(text.contains(limit.flagName()), limit.flagName() + " in: " + text);
        }
    }
}
