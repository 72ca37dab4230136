package io.mconv.torch.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.io.FileProblemException;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.pickle.DisallowedGlobalException;
import io.mconv.torch.pickle.PickleException;
import io.mconv.torch.testing.PickleBuilder;
import io.mconv.torch.testing.TorchFixtures;
import io.mconv.torch.testing.ZipBuilder;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BAD_INPUTS 11-16 through {@link TorchScriptArchive#open}: each test builds its bad file, and every refusal is one
 * line {@code <file>: <cause>} of the documented exception type, with the input file unchanged.
 */
class TorchScriptArchiveBadInputsTest {

    @TempDir
    Path dir;

    private <T extends FileProblemException> T refused(Path file, Class<T> type, String... fragments) {
        String before = TorchFixtures.sha256(file);
        T e = assertThrows(type, () -> TorchScriptArchive.open(file).close());
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        assertTrue(m.startsWith(file + ": "), "names the file first: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + f + "' in: " + m);
        }
        assertEquals(before, TorchFixtures.sha256(file), "the input is unchanged");
        return e;
    }

    private InvalidModelException invalid(Path file, String... fragments) {
        return refused(file, InvalidModelException.class, fragments);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A minimal TorchScript-shaped archive around the given data.pkl (code and constants present). */
    private static ZipBuilder scriptArchive(byte[] dataPkl) {
        ZipBuilder zip = new ZipBuilder();
        zip.add("m/version", "3\n");
        zip.add("m/data.pkl", dataPkl);
        zip.add("m/code/__torch__.py", "class M(Module):\n  pass\n").deflated();
        zip.add("m/constants.pkl", new PickleBuilder().proto(2).op(')').stop().bytes());
        return zip;
    }

    /** The traced CNN with some entries replaced or removed (null). */
    private Path tracedWith(String name, Map<String, byte[]> changes) {
        Map<String, byte[]> entries = new LinkedHashMap<>(TorchFixtures.entries("traced_cnn.pt"));
        changes.forEach((k, v) -> {
            if (v == null) {
                entries.remove("traced_cnn/" + k);
            } else {
                entries.put("traced_cnn/" + k, v);
            }
        });
        return TorchFixtures.rewrite(entries, dir.resolve(name));
    }

    // ---- 11: not a zip, broken directory, hostile names, disagreeing headers ------------------------------------

    @Test
    void notAZip() throws Exception {
        invalid(write("text.pt", "hello, this is not a model\n".repeat(10).getBytes()), "not a zip archive");
        invalid(write("empty.pt", new byte[0]), "not a zip archive", "too short");
        InvalidModelException folder = assertThrows(InvalidModelException.class, () -> TorchScriptArchive.open(dir));
        assertEquals(dir + ": is a folder, not a zip archive", folder.getMessage());
    }

    @Test
    void missingOrTruncatedCentralDirectory() throws Exception {
        byte[] good = Files.readAllBytes(TorchFixtures.file("traced_cnn.pt"));
        invalid(write("no-end.pt", Arrays.copyOf(good, good.length - 22)), "no end of central directory");

        // Cut 100 bytes out of the central directory but keep the end record: the directory no longer fits.
        int eocd = good.length - 22;
        byte[] cut = new byte[good.length - 100];
        System.arraycopy(good, 0, cut, 0, eocd - 100);
        System.arraycopy(good, eocd, cut, eocd - 100, 22);
        invalid(write("cut.pt", cut), "central directory", "does not fit");

        // The end record claims more entries than the directory holds.
        byte[] more = good.clone();
        more[eocd + 8] = (byte) (more[eocd + 8] + 1);
        more[eocd + 10] = (byte) (more[eocd + 10] + 1);
        invalid(write("more.pt", more), "truncated central directory");
    }

    @Test
    void entryNamesThatEscapeOrRepeat() throws Exception {
        for (String bad : new String[] {"../x", "/x", "\\x", "m/../../x", "m\\..\\x"}) {
            ZipBuilder zip = scriptArchive(new PickleBuilder().proto(2).op('N').stop().bytes());
            zip.add(bad, "payload");
            InvalidModelException e = invalid(write("names.pt", zip.build()));
            assertTrue(e.reason().contains("'..' in its name") || e.reason().contains("absolute name"), e.reason());
        }
        ZipBuilder dup = scriptArchive(new PickleBuilder().proto(2).op('N').stop().bytes());
        dup.add("m/version", "4\n");
        invalid(write("dup.pt", dup.build()), "'m/version' appears twice");
    }

    @Test
    void localAndCentralHeadersThatDisagree() throws Exception {
        byte[] pkl = new PickleBuilder().proto(2).op('N').stop().bytes();
        ZipBuilder name = scriptArchive(pkl);
        name.add("m/extra", "abc").localName("m/other");
        invalid(write("name.pt", name.build()), "'m/extra'", "local header names a different entry");

        ZipBuilder method = scriptArchive(pkl);
        method.add("m/extra", "abc").localMethod(8);
        invalid(write("method.pt", method.build()), "local header says compression method 8");

        ZipBuilder size = scriptArchive(pkl);
        size.add("m/extra", "abcdef").localSize(3);
        invalid(write("size.pt", size.build()), "local header declares", "central directory 6/6");
    }

    // ---- 12: sizes beyond the file, zip bombs, memory bounded -----------------------------------------------------

    /** Deflates n zero bytes in 1 MB steps, so making a 200 MB bomb does not take 200 MB. */
    private static byte[] deflatedZeros(long n) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[1 << 16];
        for (long left = n; left > 0; left -= zeros.length) {
            d.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void declaredSizesBeyondTheFile() throws Exception {
        byte[] pkl = new PickleBuilder().proto(2).op('N').stop().bytes();
        ZipBuilder huge = scriptArchive(pkl);
        huge.add("m/data/0", new byte[16]).centralCompressedSize(0xfffffff0L).centralSize(0xfffffff0L);
        invalid(write("huge.pt", huge.build()), "'m/data/0' declares 4294967280 bytes", "beyond the");

        ZipBuilder huge64 = scriptArchive(pkl).zip64();
        huge64.add("m/data/0", new byte[16]).centralCompressedSize(1L << 40).centralSize(1L << 40);
        invalid(write("huge64.pt", huge64.build()), "declares 1099511627776 bytes");
    }

    @Test
    void deflateBombsAreRefusedWithBoundedMemory() throws Exception {
        long inflated = 200L << 20;
        byte[] bomb = deflatedZeros(inflated);
        assertTrue(bomb.length * 500L < inflated, "the bomb compresses over 500:1 (" + bomb.length + " bytes)");

        // Honest sizes: refused from the directory, before inflating anything.
        ZipBuilder honest = scriptArchive(new PickleBuilder().proto(2).op('N').stop().bytes());
        honest.add("m/code/__torch__/big.py", new byte[0]).rawDeflated(bomb).centralSize(inflated);
        Path honestFile = write("honest-bomb.pt", honest.build());
        long before = allocatedBytes();
        invalid(honestFile, "would inflate", "ratio over 100");
        long used = allocatedBytes() - before;
        assertTrue(used < (16L << 20), "refused with " + used + " bytes allocated");

        // Lying sizes: data.pkl claims 100 bytes; inflating stops one byte past the claim.
        ZipBuilder withBomb = new ZipBuilder();
        withBomb.add("m/version", "3\n");
        withBomb.add("m/data.pkl", new byte[100]).rawDeflated(bomb).centralSize(100).localSize(100);
        withBomb.add("m/code/__torch__.py", "x");
        withBomb.add("m/constants.pkl", new PickleBuilder().proto(2).op(')').stop().bytes());
        Path lyingFile = write("lying-bomb.pt", withBomb.build());
        before = allocatedBytes();
        invalid(lyingFile, "'m/data.pkl' inflates to more than its declared 100 bytes");
        used = allocatedBytes() - before;
        assertTrue(used < (16L << 20), "refused with " + used + " bytes allocated, not " + inflated);
    }

    // ---- 13: globals outside the allowlist; the payload never runs --------------------------------------------

    @Test
    void disallowedGlobalsNeverRun() throws Exception {
        Path marker = dir.resolve("pwned");
        String[][] globals = {{"os", "system"}, {"builtins", "eval"}, {"subprocess", "Popen"}, {"posix", "system"}};
        for (String[] g : globals) {
            // What Python's pickle.loads would run: os.system("touch <marker>") and its relatives.
            byte[] payload = new PickleBuilder().proto(2).global(g[0], g[1]).string("touch " + marker).op(0x85)
                    .reduce().stop().bytes();
            Path file = tracedWith("evil-" + g[1] + ".pt", Map.of("data.pkl", payload));
            InvalidModelException e = invalid(file, "data.pkl", "disallowed global " + g[0] + "." + g[1]);
            assertInstanceOf(DisallowedGlobalException.class, e.getCause());
            assertFalse(Files.exists(marker), "the payload did not run");
        }
        byte[] inConstants = new PickleBuilder().proto(4).shortString("os").shortString("system").op(0x93)
                .shortString("touch " + marker).op(0x85).reduce().stop().bytes();
        invalid(tracedWith("evil-constants.pt", Map.of("constants.pkl", inConstants)), "constants.pkl",
                "disallowed global os.system");
        assertFalse(Files.exists(marker), "the payload did not run");
    }

    // ---- 14: malformed pickles ------------------------------------------------------------------------------------

    @Test
    void malformedPicklesAreOneErrorType() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("stack underflow", new PickleBuilder().proto(2).op('a').stop().bytes());
        cases.put("truncated", new PickleBuilder().proto(2).op('X').int32(1 << 30).bytes());
        cases.put("memo key 9", new PickleBuilder().proto(2).op('h').raw(9).stop().bytes());
        cases.put("invalid UTF-8", new PickleBuilder().proto(2).op(0x8c).raw(1).raw(0xff).stop().bytes());
        PickleBuilder deep = new PickleBuilder().proto(2);
        for (int i = 0; i < 100_000; i++) {
            deep.mark();
        }
        cases.put("nested MARKs", deep.stop().bytes());
        int n = 0;
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path file = tracedWith("bad" + n++ + ".pt", Map.of("data.pkl", c.getValue()));
            InvalidModelException e = invalid(file, "data.pkl, byte ", c.getKey());
            assertInstanceOf(PickleException.class, e.getCause());
        }
    }

    // ---- 15: storages -------------------------------------------------------------------------------------------

    @Test
    void missingOrShortStorages() {
        invalid(tracedWith("missing.pt", java.util.Collections.singletonMap("data/0", null)),
                "storage data/0 is missing from the archive");
        invalid(tracedWith("short.pt", Map.of("data/0", new byte[8])),
                "storage data/0 has 8 bytes but is declared as 108 FLOAT32 elements (432 bytes)");
        invalid(tracedWith("short-constant.pt", Map.of("constants/0", new byte[4])), "constants.pkl",
                "storage constants/0 has 4 bytes");
    }

    private static byte[] moduleWithTensor(long numel, long offset, long[] sizes, long[] strides) {
        return new PickleBuilder().proto(2).global("__torch__", "M").op(')').op(0x81)
                .op('}').string("w").tensor("FloatStorage", "0", numel, offset, sizes, strides).op('s').op('b')
                .stop().bytes();
    }

    @Test
    void tensorViewsBeyondTheirStorageOrWithNegativeStrides() throws Exception {
        ZipBuilder ok = scriptArchive(moduleWithTensor(4, 0, new long[] {2, 2}, new long[] {2, 1}));
        ok.add("m/data/0", new byte[16]);
        try (TorchScriptArchive a = TorchScriptArchive.open(write("ok.pt", ok.build()))) {
            assertEquals(4, ((TorchTensor) a.root().attribute("w")).elementCount(), "the control case opens");
        }
        ZipBuilder beyond = scriptArchive(moduleWithTensor(4, 1, new long[] {2, 2}, new long[] {2, 1}));
        beyond.add("m/data/0", new byte[16]);
        invalid(write("beyond.pt", beyond.build()), "storage 0 has 16 bytes but the tensor needs 20");

        ZipBuilder negative = scriptArchive(moduleWithTensor(4, 3, new long[] {4}, new long[] {-1}));
        negative.add("m/data/0", new byte[16]);
        invalid(write("negative.pt", negative.build()), "negative stride");

        ZipBuilder compressed = scriptArchive(moduleWithTensor(4, 0, new long[] {4}, new long[] {1}));
        compressed.add("m/data/0", new byte[16]).deflated();
        invalid(write("compressed.pt", compressed.build()), "'m/data/0' is compressed");
    }

    // ---- 16: not TorchScript --------------------------------------------------------------------------------------

    @Test
    void stateDictIsExplained() {
        Path file = TorchFixtures.file("state_dict.pt");
        int tensors = TorchFixtures.facts("state_dict.json").get("tensors").size();
        NotTorchScriptException e = refused(file, NotTorchScriptException.class,
                "this is a PyTorch state_dict (" + tensors + " tensors), not TorchScript; it has weights but no code",
                "torch.jit.trace(model, example_input).save(\"model.pt\")", "torch.jit.script(model)", "--arch mlp:");
        assertEquals(NotTorchScriptException.Kind.STATE_DICT, e.kind());
        assertEquals(10, tensors);
    }

    @Test
    void pickledModuleIsExplainedWithoutRunningIt() {
        NotTorchScriptException e = refused(TorchFixtures.file("pickled_module.pt"), NotTorchScriptException.class,
                "a whole PyTorch module pickled with torch.save (class __main__.TinyCnn), not TorchScript",
                "torch.jit.trace");
        assertEquals(NotTorchScriptException.Kind.PICKLED_MODULE, e.kind());
    }

    @Test
    void legacyFormatIsExplained() {
        NotTorchScriptException e = refused(TorchFixtures.file("legacy.pt"), NotTorchScriptException.class,
                "state_dict in the legacy (non-zip) torch.save format (10 tensors), not TorchScript",
                "torch.jit.trace");
        assertEquals(NotTorchScriptException.Kind.STATE_DICT, e.kind());
    }

    @Test
    void otherPicklesAndHostileTorchSaveZips() throws Exception {
        NotTorchScriptException plain = refused(write("plain.pkl", new PickleBuilder().proto(4).op('N').stop()
                .bytes()), NotTorchScriptException.class, "a Python pickle, not a zip archive");
        assertEquals(NotTorchScriptException.Kind.OTHER_PICKLE, plain.kind());

        // A torch.save-shaped zip whose pickle calls os.system is hostile, not "a pickled module".
        ZipBuilder zip = new ZipBuilder();
        zip.add("archive/data.pkl", new PickleBuilder().proto(2).global("os", "system").string("id").op(0x85)
                .reduce().stop().bytes());
        zip.add("archive/version", "3\n");
        invalid(write("evil-save.pt", zip.build()), "disallowed global os.system");
    }

    @Test
    void refusalsOfEveryKindAreOneLineEvenWithHostileNames() throws Exception {
        ZipBuilder zip = scriptArchive(new PickleBuilder().proto(2).global("os\rx", "sys\u0007tem").stop().bytes());
        InvalidModelException e = invalid(write("ctl.pt", zip.build()), "disallowed global");
        assertTrue(e.getMessage().contains("\\x07"), "control characters are shown escaped: " + e.getMessage());
    }
}
