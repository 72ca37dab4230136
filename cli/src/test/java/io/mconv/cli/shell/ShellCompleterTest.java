package io.mconv.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.cli.MconvCommand;
import io.mconv.cli.completion.OptionValueCandidates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ShellCompleterTest {

    /** Relative to the working directory, as a user types it: surefire runs in cli/, the testdata is beside it. */
    private static final String EXAMPLES = Path.of(System.getProperty("mconv.testdata.dir", "../testdata"))
            .toAbsolutePath().normalize().resolve("examples") + "/";

    private static Terminal terminal;
    private static LineReader reader;
    private static ShellCompleter completer;

    @BeforeAll
    static void setUp() throws IOException {
        terminal = TerminalBuilder.builder().system(false).dumb(true).type(Terminal.TYPE_DUMB)
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build();
        reader = LineReaderBuilder.builder().terminal(terminal).build();
        CommandLine model = MconvCommand.commandLine();
        OptionValueCandidates.standard().applyTo(model);
        completer = new ShellCompleter(model.getCommandSpec(), List.of("exit", "quit"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        terminal.close();
    }

    /** The candidate values for the line typed so far, the cursor at its end, that match what is typed. */
    private static List<String> complete(String typed) {
        ParsedLine line = new DefaultParser().parse(typed, typed.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(reader, line, candidates);
        String word = line.word().substring(0, line.wordCursor());
        return candidates.stream().map(Candidate::value).filter(v -> v.startsWith(word)).sorted().distinct().toList();
    }

    @Test
    void commandNamesAndTheShellsOwnWords() {
        assertEquals(List.of("inspect"), complete("insp"));
        assertEquals(List.of("exit"), complete("ex"));
        List<String> all = complete("");
        assertTrue(all.containsAll(List.of("inspect", "convert", "optimize", "quantize", "profile", "quit")), all.toString());
        assertEquals(List.of("optimize"), complete("help opt"));
    }

    @Test
    void optionsOfTheCommandBeingTyped() {
        assertEquals(List.of("--verbose", "--verify-each", "--version"), complete("optimize m.onnx --ver"));
        assertTrue(complete("inspect -").containsAll(List.of("--json", "--top", "-h", "--no-color")));
        assertEquals(List.of("--no-color"), complete("--no"));
    }

    @Test
    void candidatesCarryTheFirstSentenceOfTheirDescription() {
        ParsedLine line = new DefaultParser().parse("inspect m.onnx --", 17, Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(reader, line, candidates);
        Candidate shape = candidates.stream().filter(c -> c.value().equals("--input-shape")).findFirst().orElseThrow();
        assertEquals("Fix an input's shape, e.g. input:1x3x224x224 (repeatable)", shape.descr());
        List<Candidate> commands = new ArrayList<>();
        completer.complete(reader, new DefaultParser().parse("pro", 3, Parser.ParseContext.COMPLETE), commands);
        Candidate profile = commands.stream().filter(c -> c.value().equals("profile")).findFirst().orElseThrow();
        assertTrue(profile.descr().startsWith("Measure models in ONNX Runtime"), profile.descr());
    }

    @Test
    void optionValues() {
        assertEquals(List.of("aggressive", "basic", "none"), complete("optimize m.onnx -O "));
        assertEquals(List.of("aggressive"), complete("optimize m.onnx -o o.onnx --optimize ag"));
        assertEquals(List.of("dynamic", "fp16", "static", "weight-only"), complete("quantize m.onnx --mode "));
        assertEquals(List.of("bash", "zsh"), complete("completion "));
        assertEquals(List.of(), complete("inspect m.onnx --top "), "a number: nothing to offer");
    }

    @Test
    void modelArgumentsOfferModelFilesAndFolders() {
        assertEquals(List.of(EXAMPLES + "tiny_cnn.onnx"), complete("inspect " + EXAMPLES + "tiny_c"));
        assertEquals(List.of(EXAMPLES + "tiny_cnn.onnx"), complete("optimize -O basic " + EXAMPLES + "t"),
                "the MODEL after an option and its value");
        // an output file is any file
        assertEquals(List.of(EXAMPLES + "tiny_cnn.facts.json", EXAMPLES + "tiny_cnn.input.pb", EXAMPLES
                + "tiny_cnn.onnx", EXAMPLES + "tiny_cnn.output.pb"), complete("optimize m.onnx -o " + EXAMPLES + "t"));
        String parent = EXAMPLES.substring(0, EXAMPLES.length() - "examples/".length());
        assertTrue(complete("inspect " + parent + "ex").contains(EXAMPLES), "folders lead on to models");
    }
}
