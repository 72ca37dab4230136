package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDefaultsTest {

    @TempDir
    Path tmp;

    private CliEnvironment withConfig(String... lines) throws IOException {
        Path file = tmp.resolve("mconv.conf");
        Files.write(file, java.util.List.of(lines));
        return new CliEnvironment(Map.of("MCONV_CONFIG", file.toString()), tmp.resolve("home"));
    }

    private static int largestInitializers(CliRun r) throws IOException {
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        return doc.get("largest_initializers").size();
    }

    @Test
    void configValuesAreDefaultsAndTheCommandLineWins() throws IOException {
        CliEnvironment env = withConfig("# my defaults", "", "inspect.top = 2", "inspect.json=true");
        String model = InspectCommandTest.example().toString();
        assertEquals(2, largestInitializers(CliRun.in(env, "inspect", model)), "json and top both from the file");
        assertEquals(1, largestInitializers(CliRun.in(env, "inspect", model, "--top", "1")));
        assertEquals(4, largestInitializers(CliRun.in(env, "inspect", model, "--top=4")));
    }

    @Test
    void optimizeLevelFromTheConfigFile() throws IOException {
        Set<String> aggressiveOnly = new HashSet<>();
        PassRegistry.standard().all().stream()
                .filter(p -> p.level() == OptimizationLevel.AGGRESSIVE && p.targets().contains(Target.PORTABLE))
                .forEach(p -> aggressiveOnly.add(p.name()));
        assertFalse(aggressiveOnly.isEmpty());
        CliEnvironment env = withConfig("optimize.O = aggressive", "optimize.no-validate = true");
        String model = InspectCommandTest.example().toString();

        CliRun fromFile = CliRun.in(env, "optimize", model, "-o", tmp.resolve("a.onnx").toString(), "--json");
        assertEquals(0, fromFile.exitCode(), fromFile.err());
        JsonNode doc = new ObjectMapper().readTree(fromFile.out());
        Set<String> ran = new HashSet<>();
        doc.get("passes").forEach(p -> ran.add(p.get("name").asText()));
        assertTrue(ran.containsAll(aggressiveOnly), "aggressive passes ran: " + ran);
        assertTrue(doc.get("validation").isNull(), "optimize.no-validate = true applied");

        CliRun overridden = CliRun.in(env, "optimize", model, "-o", tmp.resolve("b.onnx").toString(), "--json",
                "-O", "basic");
        assertEquals(0, overridden.exitCode(), overridden.err());
        Set<String> ranBasic = new HashSet<>();
        new ObjectMapper().readTree(overridden.out()).get("passes").forEach(p -> ranBasic.add(p.get("name").asText()));
        ranBasic.retainAll(aggressiveOnly);
        assertEquals(Set.of(), ranBasic, "-O basic on the command line wins over the file");

        CliRun help = CliRun.in(env, "optimize", "--help");
        assertTrue(help.out().contains("Default: aggressive"), "help shows the configured default:\n" + help.out());
    }

    @Test
    void badValueNamesTheFileAndLine() throws IOException {
        CliEnvironment env = withConfig("inspect.json = true", "profile.threads = four");
        CliRun r = CliRun.in(env, "profile", InspectCommandTest.example().toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("'four' is not an int"), r.err());
        assertTrue(r.err().contains(tmp.resolve("mconv.conf") + " line 2 (profile.threads = four)"), r.err());
        // checked by the command rather than by picocli's converter: the value is still traced to its line
        CliEnvironment level = withConfig("optimize.O = fastest");
        CliRun o = CliRun.in(level, "optimize", InspectCommandTest.example().toString(), "-o",
                tmp.resolve("x.onnx").toString());
        assertEquals(ExitCodes.USAGE, o.exitCode());
        assertTrue(o.err().contains("'fastest'") && o.err().contains("mconv.conf line 1 (optimize.O = fastest)"),
                o.err());
        assertFalse(Files.exists(tmp.resolve("x.onnx")));
    }

    @Test
    void badKeysAndLinesNameTheFileAndLine() throws IOException {
        String file = tmp.resolve("mconv.conf").toString();
        assertUsageError(withConfig("optimize.O = basic", "optimize.speed = 11"),
                file + " line 2: 'optimize' has no option 'speed'");
        assertUsageError(withConfig("frobnicate.level = 3"), file + " line 1: unknown command 'frobnicate'");
        assertUsageError(withConfig("threads = 4"), file + " line 1: key 'threads' is not 'command.option'");
        assertUsageError(withConfig("", "inspect.top 3"), file + " line 2: expected 'command.option = value'");
        assertUsageError(withConfig("inspect.top = 1", "inspect.top = 2"), file + " line 2: 'inspect.top' is already "
                + "set on line 1");
        assertUsageError(withConfig("inspect.help = true"), "'inspect' has no option 'help'");
        Path missing = tmp.resolve("nowhere.conf");
        assertUsageError(new CliEnvironment(Map.of("MCONV_CONFIG", missing.toString()), tmp),
                "config file " + missing + " (named by MCONV_CONFIG) does not exist");
    }

    private static void assertUsageError(CliEnvironment env, String expected) {
        CliRun r = CliRun.in(env, "passes");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.out());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r.err());
    }

    @Test
    void defaultLocationFollowsXdgConfigHome() throws IOException {
        Path xdg = tmp.resolve("xdg");
        Files.createDirectories(xdg.resolve("mconv"));
        Files.writeString(xdg.resolve("mconv/config"), "inspect.top = 3\ninspect.json = true\n");
        String model = InspectCommandTest.example().toString();
        assertEquals(3, largestInitializers(CliRun.in(new CliEnvironment(Map.of("XDG_CONFIG_HOME", xdg.toString()),
                tmp.resolve("home")), "inspect", model)));
        Path home = tmp.resolve("home2");
        Files.createDirectories(home.resolve(".config/mconv"));
        Files.writeString(home.resolve(".config/mconv/config"), "inspect.top = 1\ninspect.json = true\n");
        assertEquals(1, largestInitializers(CliRun.in(new CliEnvironment(Map.of(), home), "inspect", model)));
        // no file at the default place: no defaults, no error
        CliRun none = CliRun.in(new CliEnvironment(Map.of(), tmp.resolve("empty-home")), "inspect", model);
        assertEquals(0, none.exitCode(), none.err());
        assertTrue(none.out().startsWith("Model "), "text report, not JSON: " + none.out().lines().findFirst());
    }
}
