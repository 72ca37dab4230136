package io.mconv.torch.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.export.ExportException;
import io.mconv.torch.export.ExportOptions;
import io.mconv.torch.export.InputSpec;
import io.mconv.torch.export.TorchScriptExporter;
import io.mconv.torch.pickle.PickleException;
import io.mconv.torch.testing.PickleBuilder;
import io.mconv.torch.testing.TorchFixtures;
import io.mconv.torch.testing.ZipBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every limit a PyTorch file can run into, hit by a tiny crafted archive under a lowered value and accepted once the
 * value is raised: the refusal ends with the tail naming the limit, its value and the flag, so the user can act on
 * it. The inputs stay small because the limits are set low, not the files made large.
 */
class TorchLimitsHitThenRaisedTest {

    /** forward calls a, a calls b (three calls deep); b runs a static while loop five times, then one relu. */
    private static final String CODE = """
            class M(Module):
              __parameters__ = []
              __buffers__ = []
              def forward(self: __torch__.M,
                x: Tensor) -> Tensor:
                return (self).a(x, )
              def a(self: __torch__.M,
                x: Tensor) -> Tensor:
                return (self).b(x, )
              def b(self: __torch__.M,
                x: Tensor) -> Tensor:
                i = 0
                while i < 5:
                  i = i + 1
                return torch.relu(x)
            """;

    @TempDir
    Path dir;

    /** Module {@code __torch__.M} whose attribute {@code deep} is a list nested {@code depth} levels. */
    private static byte[] moduleWithNestedList(int depth) {
        PickleBuilder p = new PickleBuilder().proto(2).global("__torch__", "M").op(')').op(0x81).op('}')
                .string("deep");
        for (int i = 0; i < depth; i++) {
            p.op(']');
        }
        for (int i = 1; i < depth; i++) {
            p.op('a');
        }
        return p.op('s').op('b').stop().bytes();
    }

    private static ZipBuilder archive(byte[] dataPkl) {
        ZipBuilder zip = new ZipBuilder();
        zip.add("m/version", "3\n");
        zip.add("m/data.pkl", dataPkl);
        zip.add("m/code/__torch__.py", CODE);
        zip.add("m/constants.pkl", new PickleBuilder().proto(2).op(')').stop().bytes());
        return zip;
    }

    private Path write(String name, ZipBuilder zip) throws Exception {
        return Files.write(dir.resolve(name), zip.build());
    }

    private Path plainArchive() throws Exception {
        return write("m.pt", archive(moduleWithNestedList(3)));
    }

    private static String tail(Limit limit, String value) {
        return "exceeds limit " + limit.flagName() + "=" + value + "; raise it with --limit " + limit.flagName()
                + "=N";
    }

    /** The refusal is one line naming the file first and ending with the limit's tail. */
    private static <T extends Throwable> T refused(Class<T> type, Executable run, Path file, Limit limit,
                                                   String value) {
        T e = assertThrows(type, run);
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith(file + ": ") || type == ExportException.class, "names the file first: " + m);
        assertTrue(m.endsWith(tail(limit, value)), "ends with the limit's tail: " + m);
        return e;
    }

    private static int listedOps(Path file, Limits limits) {
        try (TorchScriptArchive a = TorchScriptArchive.open(file, limits)) {
            return new TorchScriptExporter().listOps(a, ExportOptions.DEFAULT_OPSET).size();
        }
    }

    private static Model export(Path file, Limits limits) {
        try (TorchScriptArchive a = TorchScriptArchive.open(file, limits)) {
            return new TorchScriptExporter().export(a, new ExportOptions(ExportOptions.DEFAULT_OPSET,
                    List.of(new InputSpec("x", Shape.of(1, 4), DataType.FLOAT)), Map.of())).model();
        }
    }

    private static List<String> ops(Model model) {
        return model.graph().nodes().stream().map(Node::opType).toList();
    }

    @Test
    void theControlArchiveExportsUnderTheDefaults() throws Exception {
        Model model = export(plainArchive(), Limits.defaults());
        assertEquals(List.of("Relu"), ops(model));
        assertEquals(1, listedOps(plainArchive(), Limits.defaults()), "one operator use: aten::relu");
    }

    // ---- the zip ------------------------------------------------------------------------------------------------

    @Test
    void zipDirectorySize() throws Exception {
        Path file = plainArchive();
        refused(InvalidModelException.class, () -> TorchScriptArchive.open(file,
                Limits.defaults().with(Limit.ZIP_DIRECTORY_SIZE, 64)).close(), file, Limit.ZIP_DIRECTORY_SIZE, "64");
        assertEquals(1, listedOps(file, Limits.defaults().with(Limit.ZIP_DIRECTORY_SIZE, 1024)));
    }

    @Test
    void inflateRatio() throws Exception {
        // 2 MiB of zeros deflate to about 2 KiB: a ratio near 1000, over the 1 MiB below which ratios are not checked.
        ZipBuilder zip = archive(moduleWithNestedList(3));
        zip.add("m/extra/zeros.bin", new byte[2 << 20]).deflated();
        Path file = write("zeros.pt", zip);
        InvalidModelException e = refused(InvalidModelException.class, () -> TorchScriptArchive.open(file,
                Limits.defaults().with(Limit.INFLATE_RATIO, 10)).close(), file, Limit.INFLATE_RATIO, "10");
        assertTrue(e.getMessage().contains("'m/extra/zeros.bin' would inflate"), e.getMessage());
        // The default (100) refuses it too; a ratio limit above deflate's best (1032:1) accepts it.
        refused(InvalidModelException.class, () -> TorchScriptArchive.open(file).close(), file,
                Limit.INFLATE_RATIO, "100");
        assertEquals(1, listedOps(file, Limits.defaults().with(Limit.INFLATE_RATIO, 2000)));
    }

    // ---- the pickles --------------------------------------------------------------------------------------------

    @Test
    void pickleSize() throws Exception {
        Path file = plainArchive();
        long pickleBytes = moduleWithNestedList(3).length;
        InvalidModelException e = refused(InvalidModelException.class, () -> TorchScriptArchive.open(file,
                Limits.defaults().with(Limit.PICKLE_SIZE, 16)).close(), file, Limit.PICKLE_SIZE, "16");
        assertTrue(e.getMessage().contains("'m/data.pkl' is " + pickleBytes + " bytes"), e.getMessage());
        assertEquals(1, listedOps(file, Limits.defaults().with(Limit.PICKLE_SIZE, pickleBytes)));
    }

    @Test
    void pickleDepth() throws Exception {
        Path file = write("deep.pt", archive(moduleWithNestedList(20)));
        InvalidModelException e = refused(InvalidModelException.class, () -> TorchScriptArchive.open(file,
                Limits.defaults().with(Limit.PICKLE_DEPTH, 10)).close(), file, Limit.PICKLE_DEPTH, "10");
        assertTrue(e.getMessage().contains("data.pkl, byte "), e.getMessage());
        assertInstanceOf(PickleException.class, e.getCause());
        // the module's state dict and the 20 lists inside it: 21 levels, so every value below 21 is refused
        assertEquals(21, lowestAccepted(Limit.PICKLE_DEPTH, file));
    }

    @Test
    void pickleObjects() throws Exception {
        Path file = write("many.pt", archive(moduleWithNestedList(20)));
        InvalidModelException e = refused(InvalidModelException.class, () -> TorchScriptArchive.open(file,
                Limits.defaults().with(Limit.PICKLE_OBJECTS, 10)).close(), file, Limit.PICKLE_OBJECTS, "10");
        assertInstanceOf(PickleException.class, e.getCause());
        assertEquals(1, listedOps(file, Limits.defaults().with(Limit.PICKLE_OBJECTS, 100)));
    }

    @Test
    void legacyTorchSaveScansReadTheirPicklesUnderTheLimits() {
        Path legacy = TorchFixtures.file("legacy.pt");
        refused(InvalidModelException.class, () -> TorchScriptArchive.open(legacy,
                Limits.defaults().with(Limit.PICKLE_DEPTH, 2)).close(), legacy, Limit.PICKLE_DEPTH, "2");
        NotTorchScriptException described = assertThrows(NotTorchScriptException.class,
                () -> TorchScriptArchive.open(legacy, Limits.defaults().with(Limit.PICKLE_DEPTH, 50)).close());
        assertEquals(NotTorchScriptException.Kind.STATE_DICT, described.kind());
    }

    // ---- the code -----------------------------------------------------------------------------------------------

    @Test
    void codeSize() throws Exception {
        Path file = plainArchive();
        int codeBytes = CODE.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        // Code files are read on demand, so the archive opens and the refusal comes from the first look at the code.
        InvalidModelException e = refused(InvalidModelException.class,
                () -> listedOps(file, Limits.defaults().with(Limit.CODE_SIZE, 64)), file, Limit.CODE_SIZE, "64");
        assertTrue(e.getMessage().contains("'m/code/__torch__.py' is " + codeBytes + " bytes"), e.getMessage());
        assertEquals(1, listedOps(file, Limits.defaults().with(Limit.CODE_SIZE, codeBytes)));
    }

    @Test
    void scriptNestingDepth() throws Exception {
        Path file = plainArchive();
        InvalidModelException e = refused(InvalidModelException.class,
                () -> listedOps(file, Limits.defaults().with(Limit.SCRIPT_NESTING_DEPTH, 3)), file,
                Limit.SCRIPT_NESTING_DEPTH, "3");
        assertTrue(e.getMessage().contains(": code/__torch__.py:"), "names entry, line and column: " + e.getMessage());
        assertTrue(e.getMessage().contains("nesting deeper than 3 levels"), e.getMessage());
        int needed = lowestAccepted(Limit.SCRIPT_NESTING_DEPTH, file);
        assertTrue(needed > 3 && needed < 20, "the code nests " + needed + " levels");
        assertEquals(List.of("Relu"), ops(export(file, Limits.defaults().with(Limit.SCRIPT_NESTING_DEPTH, needed))));
    }

    /** The smallest value of {@code limit} from 1 up under which the archive's operators can be listed. */
    private static int lowestAccepted(Limit limit, Path file) {
        for (int v = 1; v < 200; v++) {
            try {
                listedOps(file, Limits.defaults().with(limit, v));
                return v;
            } catch (InvalidModelException tooLow) {
                assertTrue(tooLow.getMessage().endsWith(tail(limit, Integer.toString(v))), tooLow.getMessage());
            }
        }
        throw new AssertionError("not accepted under 200");
    }

    @Test
    void scriptCallDepth() throws Exception {
        Path file = plainArchive();
        ExportException e = refused(ExportException.class,
                () -> export(file, Limits.defaults().with(Limit.SCRIPT_CALL_DEPTH, 2)), file,
                Limit.SCRIPT_CALL_DEPTH, "2");
        assertTrue(e.getMessage().contains("calls nest deeper than 2 (recursion?) at b"), e.getMessage());
        // forward, a, b: three calls deep
        assertEquals(List.of("Relu"), ops(export(file, Limits.defaults().with(Limit.SCRIPT_CALL_DEPTH, 3))));
    }

    @Test
    void scriptLoopIterations() throws Exception {
        Path file = plainArchive();
        ExportException e = refused(ExportException.class,
                () -> export(file, Limits.defaults().with(Limit.SCRIPT_LOOP_ITERATIONS, 4)), file,
                Limit.SCRIPT_LOOP_ITERATIONS, "4");
        assertTrue(e.getMessage().contains("a while loop ran 4 iterations at export time"), e.getMessage());
        assertEquals(List.of("Relu"), ops(export(file, Limits.defaults().with(Limit.SCRIPT_LOOP_ITERATIONS, 5))));
    }
}
