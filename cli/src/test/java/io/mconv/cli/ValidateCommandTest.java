package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.agent.runtime.torch.LibtorchAvailability;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mconv validate} through the real entry point, with real libtorch and ONNX Runtime. */
class ValidateCommandTest {

    @BeforeAll
    static void libtorchIsThere() {
        assertTrue(LibtorchAvailability.problem().isEmpty(), () -> LibtorchAvailability.problem().orElse(""));
    }

    private static String fixture(String name) {
        Path p = Path.of(System.getProperty("mconv.testdata.dir", "../testdata"), "torch", "validate", name);
        assertTrue(Files.exists(p), p + " is missing; it is committed (regenerate with /usr/bin/python3 "
                + "testdata/make_validate_fixtures.py)");
        return p.toString();
    }

    @Test
    void theExportMatchesItsSourceAsJsonAndAsText() throws Exception {
        CliRun r = CliRun.of("validate", fixture("two_input_cnn.pt"), fixture("two_input_cnn.onnx"), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mconv.validate/1", doc.get("schema").asText());
        assertTrue(doc.get("passed").asBoolean());
        assertEquals("TorchScript", doc.get("source_kind").asText());
        assertTrue(doc.get("reference_runtime").asText().startsWith("libtorch 2.7.1"));
        assertEquals(2, doc.get("outputs").size());
        for (JsonNode o : doc.get("outputs")) {
            assertTrue(o.get("passed").asBoolean(), o.toString());
            assertTrue(o.get("max_abs_error").asDouble() < 1e-4, o.toString());
            assertTrue(o.get("cosine_similarity").asDouble() > 0.99999, o.toString());
            assertEquals(1e-4, o.get("atol").asDouble());
            assertEquals(1e-3, o.get("rtol").asDouble());
        }
        assertEquals("image", doc.get("inputs").get(0).get("name").asText());
        assertEquals("[1,3,16,16]", doc.get("inputs").get(0).get("shape").toString());
        assertTrue(doc.get("timings_ms").get("libtorch_start").asDouble() > 0);
        assertEquals("", r.err(), "nothing on stderr either: the worker's output stays in the worker's pipe");

        CliRun text = CliRun.of("validate", fixture("two_input_cnn.pt"), fixture("two_input_cnn.onnx"),
                "--inputs", Path.of(fixture("test_data_set_0/input_0.pb")).getParent().toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().startsWith("MATCH "), text.out());
        assertTrue(text.out().contains("2 of 2 outputs within tolerance"), text.out());
        assertTrue(text.out().matches("(?s).*logits\\s+ok\\s+\\d\\.\\d{3}e-0[5-9].*"), text.out());
    }

    @Test
    void thePerturbedExportIsAMismatchWithExitCode1() throws Exception {
        CliRun r = CliRun.of("validate", fixture("two_input_cnn.pt"), fixture("two_input_cnn_perturbed.onnx"),
                "--json");
        assertEquals(1, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertFalse(doc.get("passed").asBoolean());
        JsonNode logits = doc.get("outputs").get(0);
        assertFalse(logits.get("passed").asBoolean());
        assertTrue(logits.get("max_abs_error").asDouble() > 1e-2, logits.toString());
        assertTrue(logits.get("reason").asText().contains("outside"), logits.toString());
        // A tolerance wide enough to swallow the perturbation turns it into a match: the options reach the check.
        CliRun loose = CliRun.of("validate", fixture("two_input_cnn.pt"), fixture("two_input_cnn_perturbed.onnx"),
                "--atol", "10", "--rtol", "1");
        assertEquals(0, loose.exitCode(), loose.out() + loose.err());
        CliRun text = CliRun.of("validate", fixture("two_input_cnn.pt"), fixture("two_input_cnn_perturbed.onnx"));
        assertEquals(1, text.exitCode());
        assertTrue(text.out().startsWith("MISMATCH "), text.out());
        assertTrue(text.out().contains("logits: "), text.out());
    }

    @Test
    void badFilesAreExitCode3WithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("broken.pt"), "this is not a zip archive");
        CliRun r = CliRun.of("validate", bad.toString(), fixture("two_input_cnn.onnx"), "--json");
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().startsWith("mconv: error: " + bad + ": "), r.err());
        assertEquals("", r.out());
        Path badTarget = Files.writeString(dir.resolve("broken.onnx"), "garbage");
        CliRun t = CliRun.of("validate", fixture("two_input_cnn.pt"), badTarget.toString());
        assertEquals(3, t.exitCode(), t.err());
        assertEquals(1, t.errLines(), t.err());
        assertTrue(t.err().contains(badTarget.toString()), t.err());
        CliRun missing = CliRun.of("validate", dir.resolve("absent.pt").toString(), fixture("two_input_cnn.onnx"));
        assertEquals(3, missing.exitCode());
        assertTrue(missing.err().contains("absent.pt: no such file"), missing.err());
    }

    @Test
    void usageErrorsAreExitCode2() {
        assertEquals(2, CliRun.of("validate", fixture("two_input_cnn.pt")).exitCode());
        CliRun provider = CliRun.of("validate", fixture("two_input_cnn.pt"), fixture("two_input_cnn.onnx"),
                "--provider", "quantum");
        assertEquals(2, provider.exitCode());
        assertTrue(provider.err().contains("unknown execution provider 'quantum'"), provider.err());
        CliRun kind = CliRun.of("validate", fixture("two_input_cnn.onnx"), fixture("two_input_cnn.pt"));
        assertEquals(2, kind.exitCode());
        assertTrue(kind.err().contains("must be an ONNX model"), kind.err());
        assertEquals(2, CliRun.of("validate", fixture("two_input_cnn.pt"), fixture("two_input_cnn.onnx"),
                "--atol", "-1").exitCode());
    }
}
