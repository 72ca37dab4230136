package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.cli.completion.OptionValueCandidates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the generated script in a real bash, as bash runs it when Tab is pressed, and reads the candidates. */
class CompletionScriptTest {

    private static final Path REPO = Path.of(System.getProperty("mconv.testdata.dir", "../testdata"))
            .toAbsolutePath().normalize().getParent();

    @TempDir
    static Path tmp;
    static Path script;

    @BeforeAll
    static void writeScript() throws IOException {
        CliRun r = CliRun.of("completion", "bash");
        assertEquals(0, r.exitCode(), r.err());
        script = tmp.resolve("mconv.bash");
        Files.writeString(script, r.out());
    }

    /** What bash offers for the line typed so far (the cursor at its end), in the repository's root folder. */
    private static List<String> complete(String typed) throws Exception {
        Path bash = Path.of("/bin/bash");
        if (!Files.isExecutable(bash)) {
            fail("bash is needed for this test: sudo apt-get install -y bash");
        }
        // COMP_* as bash sets them for a completion function; compopt only works inside real completion, so it is
        // a no-op here (it sets display options, not candidates)
        String driver = "source \"$SCRIPT\"\n"
                + "compopt() { :; }\n"
                + "COMP_LINE=\"$TYPED\"; COMP_POINT=${#COMP_LINE}\n"
                + "read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "[[ \"$COMP_LINE\" == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMPREPLY=()\n"
                + "_complete_mconv\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        ProcessBuilder pb = new ProcessBuilder(bash.toString(), "--norc", "--noprofile", "-c", driver);
        pb.directory(REPO.toFile());
        pb.environment().put("SCRIPT", script.toString());
        pb.environment().put("TYPED", typed);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
        assertEquals(0, p.exitValue(), "bash failed on: " + typed);
        return out.lines().filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void commandsAndOptions() throws Exception {
        assertEquals(List.of("inspect"), complete("mconv insp"));
        assertEquals(List.of("completion", "convert"), complete("mconv co"));
        assertEquals(List.of("--verbose", "--verify-each", "--version"), complete("mconv optimize model.onnx --ver"));
        assertTrue(complete("mconv profile --").containsAll(List.of("--threads", "--batch", "--no-color", "--json")));
    }

    @Test
    void optionValuesFromTheCandidateTable() throws Exception {
        assertEquals(List.of("aggressive", "basic", "none"), complete("mconv optimize model.onnx -O "));
        assertEquals(List.of("aggressive"), complete("mconv optimize model.onnx -o out.onnx --optimize a"));
        assertEquals(List.of("ort", "portable"), complete("mconv optimize model.onnx --target "));
        assertEquals(List.of("dynamic", "fp16", "static", "weight-only"), complete("mconv quantize m.onnx --mode "));
        assertEquals(List.of("int4", "int8", "uint8"), complete("mconv quantize m.onnx --weight-type "));
        assertEquals(List.of("16bit", "32bit", "8bit"), complete("mconv quantize m.onnx --precision "));
        assertTrue(complete("mconv check m.onnx --target ").containsAll(List.of("cpu", "cuda", "tensorrt", "wasm")));
        assertTrue(complete("mconv profile m.onnx --provider ").containsAll(List.of("cpu", "cuda", "openvino")));
        assertTrue(complete("mconv optimize m.onnx --disable fuse-").contains("fuse-conv-bn"));
        assertEquals(List.of("bash", "zsh"), complete("mconv completion "));
    }

    @Test
    void fileNamesForModels() throws Exception {
        assertEquals(List.of("testdata/examples/tiny_cnn.onnx", "testdata/examples/tiny_cnn.output.pb"),
                complete("mconv inspect testdata/examples/tiny_cnn.o"));
        assertEquals(List.of("testdata/examples/tiny_cnn.onnx"), complete("mconv optimize -O basic testdata/examples/tiny_cnn.on"));
    }

    @Test
    void zshGetsTheSameFunctionsThroughBashcompinit() {
        CliRun zsh = CliRun.of("completion", "zsh");
        assertEquals(0, zsh.exitCode(), zsh.err());
        assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit"), "zsh loads bash completion");
        assertTrue(zsh.out().contains("complete -F _complete_mconv"));
        String bash = CliRun.of("completion", "bash").out();
        String body = bash.substring(bash.indexOf("#!/usr/bin/env bash"));
        assertTrue(zsh.out().endsWith(body), "one script body for both shells");
        CliRun fish = CliRun.of("completion", "fish");
        assertEquals(ExitCodes.USAGE, fish.exitCode());
        assertTrue(fish.err().contains("bash, zsh"), fish.err());
    }

    @Test
    void everyCandidateEntryNamesAnOptionOfItsCommand() {
        // the table lives apart from the commands, so a renamed or removed option must fail here
        CommandLine cl = MconvCommand.commandLine();
        OptionValueCandidates.standard().optionsByCommand().forEach((command, options) -> {
            CommandLine sub = cl.getSubcommands().get(command);
            assertNotNull(sub, "no command " + command);
            for (String option : options) {
                CommandLine.Model.OptionSpec o = sub.getCommandSpec().findOption(option);
                assertNotNull(o, command + " has no option " + option);
                assertNull(o.group(), command + " " + option + " is in an argument group, where it cannot get values");
                assertTrue(o.arity().min() > 0, command + " " + option + " takes no value");
            }
        });
    }
}
