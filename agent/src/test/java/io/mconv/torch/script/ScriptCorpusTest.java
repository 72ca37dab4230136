package io.mconv.torch.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.ir.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Parses the real code files torch 1.13 serialized for a few models (committed in
 * {@code testdata/torchscript-code/}, made by {@code testdata/make_script_corpus.py}) and checks their structure
 * and that printing and re-parsing each gives the same tree.
 */
class ScriptCorpusTest {

    /**
     * What each model's code holds, counted with Python's {@code ast} module when the corpus was made: files,
     * top-level classes, methods, top-level functions, {@code def forward} methods and statements (every
     * statement node at any depth, class and def statements included, as {@code ast.walk} counts them).
     */
    private record Expected(String model, int files, int classes, int methods, int functions, int forwards,
                            int statements) {
    }

    private static final List<Expected> EXPECTED = List.of(
            new Expected("resnet18", 66, 68, 76, 0, 68, 928),
            new Expected("mobilenet_v3_small", 205, 209, 209, 0, 209, 2517),
            new Expected("vit_b_16", 147, 152, 140, 0, 140, 1837),
            new Expected("googlenet", 221, 224, 224, 0, 224, 2878),
            new Expected("transformer_encoder", 8, 9, 11, 9, 8, 1412),
            new Expected("lstm", 2, 2, 8, 1, 0, 168),
            new Expected("gru_bidirectional", 2, 2, 7, 1, 0, 141),
            new Expected("multihead_attention", 3, 2, 2, 7, 2, 792),
            new Expected("control_flow", 5, 5, 6, 1, 4, 124));

    /**
     * The deepest corpus file needs 17 levels (transformer_encoder's activation.py); parsing all of them under 20
     * shows the default limit of 200 leaves a tenfold margin for real code.
     */
    private static final ParserLimits REAL_CODE_LIMITS = new ParserLimits(20, ParserLimits.DEFAULT.maxSourceChars());

    /** What the parser found, summed over one model's files. */
    private static final class Tally {
        int classes;
        int methods;
        int functions;
        int forwards;
        int statements;
    }

    @TestFactory
    Stream<DynamicTest> everyModelParsesToTheRecordedStructure() {
        return EXPECTED.stream().map(e -> DynamicTest.dynamicTest(e.model(), () -> checkModel(e)));
    }

    @Test
    void corpusHoldsEveryModelOfTheGenerator() throws IOException {
        try (Stream<Path> models = Files.list(corpus())) {
            assertEquals(EXPECTED.stream().map(Expected::model).sorted().toList(),
                    models.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static void checkModel(Expected expected) throws IOException {
        Path root = corpus().resolve(expected.model());
        List<Path> files = codeFiles(root);
        Tally tally = new Tally();
        for (Path file : files) {
            String entry = root.relativize(file).toString().replace('\\', '/');
            ScriptFile parsed = ScriptParser.parse(entry, Files.readString(file, StandardCharsets.UTF_8),
                    REAL_CODE_LIMITS);
            count(parsed, tally);
            for (ClassDef c : parsed.classes()) {
                c.method("forward").ifPresent(f -> {
                    assertFalse(f.body().isEmpty(), entry + ": forward without a body");
                    // torch always ends a serialized forward with its return, even of None
                    assertInstanceOf(Stmt.Return.class, f.body().get(f.body().size() - 1), entry + " forward");
                });
            }
            ScriptFile reparsed = ScriptParser.parse(entry, ScriptPrinter.print(parsed));
            assertEquals(PositionEraser.erase(parsed), PositionEraser.erase(reparsed), entry + ": print, re-parse");
        }
        assertEquals(expected.files(), files.size(), "code files");
        assertEquals(expected.classes(), tally.classes, "classes");
        assertEquals(expected.methods(), tally.methods, "methods");
        assertEquals(expected.functions(), tally.functions, "top-level functions");
        assertEquals(expected.forwards(), tally.forwards, "forward methods");
        assertEquals(expected.statements(), tally.statements, "statements");
    }

    private static void count(ScriptFile file, Tally tally) {
        tally.classes += file.classes().size();
        tally.functions += file.functions().size();
        tally.statements += file.classes().size() + file.functions().size() + countStatements(file.statements());
        for (ClassDef c : file.classes()) {
            tally.methods += c.methods().size();
            tally.statements += c.methods().size() + countStatements(c.statements());
            c.methods().forEach(m -> tally.statements += countStatements(m.body()));
            tally.forwards += (int) c.methods().stream().filter(m -> m.name().equals("forward")).count();
        }
        file.functions().forEach(f -> tally.statements += countStatements(f.body()));
    }

    private static int countStatements(List<Stmt> block) {
        int n = 0;
        for (Stmt s : block) {
            n++;
            if (s instanceof Stmt.If i) {
                n += countStatements(i.body()) + countStatements(i.orElse());
            } else if (s instanceof Stmt.For f) {
                n += countStatements(f.body());
            } else if (s instanceof Stmt.While w) {
                n += countStatements(w.body());
            } else if (s instanceof Stmt.Def d) {
                n += countStatements(d.function().body());
            }
        }
        return n;
    }

    private static List<Path> codeFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        }
    }

    private static Path corpus() {
        Path dir = Fixtures.testdata().resolve("torchscript-code");
        if (!Files.isDirectory(dir)) {
            fail("The TorchScript code corpus " + dir + " is missing; it is committed. Regenerate it with: "
                    + "/usr/bin/python3 testdata/make_script_corpus.py "
                    + "(needs: sudo apt-get install -y python3-torch python3-torchvision)");
        }
        return dir;
    }
}
