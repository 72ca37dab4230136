package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.ir.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mconv run WORKFLOW} through the real entry point: workflow files in JSON and YAML converting the committed
 * TorchScript fixture to int8 with real libtorch and ONNX Runtime, dry runs, refused files (exit 2 naming the key's
 * JSON pointer) and a failing step that stops the run. Paths in the workflows are relative to the workflow's
 * folder, which is not the working directory, so the tests also prove where they resolve.
 */
class RunCommandTest {

    @TempDir
    static Path cache;

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void copyFixture() throws Exception {
        Path cnn = Fixtures.testdata().resolve("torch").resolve("traced_cnn.pt");
        assertTrue(Files.isRegularFile(cnn), "missing " + cnn + ": it is committed; restore it with git checkout");
        Files.createDirectories(dir.resolve("models"));
        Files.copy(cnn, dir.resolve("models/cnn.pt"));
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static CliRun run(Path workflow, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", workflow.toString(), "--cache-dir", cache.toString()));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static final String INT8_STEP = """
            {"source": "models/cnn.pt", "output": "out/cnn.int8.onnx", "quantize": "int8",
             "input_shape": ["x:1x3x8x8"], "max_accuracy_drop": 0.05, "report": "out/cnn.json"}""";

    @Test
    void jsonWorkflowConvertsToInt8AndWritesModelAndReport() throws Exception {
        Path wf = write("workflow.json", """
                {"schema": "mconv.workflow/1",
                 "defaults": {"optimize": "basic", "target": ["cpu"]},
                 "steps": [%s]}""".formatted(INT8_STEP));
        CliRun r = run(wf, "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("mconv.run/1", doc.get("schema").asText());
        assertEquals(0, doc.get("exit_code").asInt());
        assertEquals(1, doc.get("steps").size());
        JsonNode step = doc.get("steps").get(0);
        assertEquals("ok", step.get("status").asText());
        assertEquals(0, step.get("exit_code").asInt());
        JsonNode report = step.get("report");
        assertEquals("mconv.convert/1", report.get("schema").asText());
        assertTrue(report.get("written").asBoolean());
        Path model = dir.resolve("out/cnn.int8.onnx");
        assertTrue(Files.size(model) > 0, "the model is written where the workflow's folder puts it");
        assertEquals(Files.size(model), report.get("target_bytes").asLong());
        assertEquals(report, JSON.readTree(dir.resolve("out/cnn.json").toFile()),
                "the step's report file is the report embedded in mconv.run/1");
        List<String> steps = new ArrayList<>();
        report.get("steps").forEach(s -> steps.add(s.get("type").asText()));
        assertTrue(steps.containsAll(List.of("export", "quantize", "validate")), steps.toString());
        assertTrue(report.get("accuracy_drop").asDouble() <= 0.05, report.toString());
    }

    @Test
    void yamlWorkflowRunsTheSameStepWithTextReportsAndSummary() throws Exception {
        Path wf = write("workflow.yaml", """
                schema: mconv.workflow/1
                defaults:
                  optimize: basic
                steps:
                  - source: models/cnn.pt
                    output: out/cnn.int8.onnx
                    quantize: int8
                    input_shape: x:1x3x8x8
                    max_size: 10MB
                    report: out/cnn.json
                """);
        CliRun r = run(wf);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Step 1/1: " + dir.resolve("models/cnn.pt")), r.out());
        assertTrue(r.out().contains("Summary (" + wf + "):"), r.out());
        assertTrue(r.out().contains("1 of 1 converted"), r.out());
        assertTrue(Files.size(dir.resolve("out/cnn.int8.onnx")) > 0);
        JsonNode report = JSON.readTree(dir.resolve("out/cnn.json").toFile());
        assertEquals("mconv.convert/1", report.get("schema").asText());
        assertEquals("max-size", report.get("constraints").get(0).get("name").asText(), report.toString());
    }

    @Test
    void dryRunListsEveryStepsPlanAndWritesNothing() throws Exception {
        Path wf = write("workflow.json", """
                {"schema": "mconv.workflow/1",
                 "steps": [%s,
                           {"source": "models/cnn.pt", "output": "out/cnn.fp32.onnx", "optimize": "none",
                            "input_shape": "x:1x3x8x8"}]}""".formatted(INT8_STEP));
        CliRun r = run(wf, "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("mconv.run.plan/1", doc.get("schema").asText());
        assertEquals(2, doc.get("plans").size());
        List<String> first = new ArrayList<>();
        doc.get("plans").get(0).get("steps").forEach(s -> first.add(s.get("name").asText()));
        assertEquals(List.of("export", "optimize", "quantize", "validate", "profile"), first);
        assertEquals("int8", doc.get("plans").get(0).get("steps").get(2).get("options").get("mode").asText());
        List<String> second = new ArrayList<>();
        doc.get("plans").get(1).get("steps").forEach(s -> second.add(s.get("name").asText()));
        assertFalse(second.contains("optimize") || second.contains("quantize"), second.toString());
        assertEquals(dir.resolve("out/cnn.fp32.onnx").toString(), doc.get("plans").get(1).get("output").asText());

        CliRun text = run(wf, "--dry-run");
        assertEquals(0, text.exitCode(), text.err());
        assertEquals(2, text.out().lines().filter(l -> l.startsWith("Plan for ")).count(), text.out());
        assertTrue(text.out().contains("Dry run: nothing was run or written."), text.out());
        assertFalse(Files.exists(dir.resolve("out")), "a dry run creates no output folder");
    }

    @Test
    void badWorkflowsAreUsageErrorsNamingFileAndPointer() throws Exception {
        record Case(String body, String pointer, String why) {
        }
        List<Case> cases = List.of(
                new Case("\"steps\": [{\"source\": \"models/cnn.pt\", \"quantise\": \"int8\"}]", "/steps/0/quantise",
                        "unknown key 'quantise'"),
                new Case("\"steps\": [{\"source\": \"models/cnn.pt\", \"quantize\": \"int7\"}]", "/steps/0/quantize",
                        "int7"),
                new Case("\"steps\": [{\"source\": \"models/cnn.pt\"}, {\"source\": \"models/cnn.pt\", "
                        + "\"max_accuracy_drop\": \"1%\"}]", "/steps/1/max_accuracy_drop", "expected a number"),
                new Case("\"steps\": [{\"output\": \"out/x.onnx\"}]", "/steps/0/source", "no 'source'"),
                new Case("\"defaults\": {\"max_size\": \"50 apples\"}, \"steps\": [{\"source\": \"models/cnn.pt\"}]",
                        "/defaults/max_size", "invalid size"),
                new Case("\"defaults\": {\"source\": \"models/cnn.pt\"}, \"steps\": [{\"source\": \"m.pt\"}]",
                        "/defaults/source", "give it in each step"),
                new Case("\"steps\": []", "/steps", "non-empty"));
        for (Case c : cases) {
            Path wf = write("bad.json", "{\"schema\": \"mconv.workflow/1\", " + c.body() + "}");
            CliRun r = run(wf);
            assertEquals(2, r.exitCode(), c + "\n" + r.err());
            assertTrue(r.err().contains(wf + ": " + c.pointer() + ": "), c + "\n" + r.err());
            assertTrue(r.err().contains(c.why()), c + "\n" + r.err());
            assertEquals("", r.out(), "nothing on standard output for a refused workflow");
        }
        Path yaml = write("bad.yaml", "schema: mconv.workflow/1\nsteps:\n  - source: models/cnn.pt\n    opset: seventeen\n");
        CliRun r = run(yaml);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(yaml + ": /steps/0/opset: expected a whole number"), r.err());
        assertFalse(Files.exists(dir.resolve("models/cnn.onnx")), "no step runs when any step is refused");
    }

    @Test
    void aFailingStepStopsTheRunUnlessContinueOnError() throws Exception {
        String steps = """
                "steps": [{"source": "models/missing.pt", "output": "out/missing.onnx", "quantize": "int8",
                           "input_shape": ["x:1x3x8x8"]},
                          %s]""".formatted(INT8_STEP);
        Path wf = write("workflow.json", "{\"schema\": \"mconv.workflow/1\", " + steps + "}");
        CliRun r = run(wf, "--json");
        assertEquals(3, r.exitCode(), "a missing source is invalid input, as for convert\n" + r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(3, doc.get("exit_code").asInt());
        assertEquals("failed", doc.get("steps").get(0).get("status").asText());
        assertEquals(3, doc.get("steps").get(0).get("exit_code").asInt());
        assertTrue(doc.get("steps").get(0).get("error").asText().contains("missing.pt"), r.out());
        assertEquals("not_run", doc.get("steps").get(1).get("status").asText());
        assertTrue(r.err().contains("stopped after step 1 of 2"), r.err());
        assertFalse(Files.exists(dir.resolve("out/cnn.int8.onnx")), "the step after the failure did not run");

        Path keepGoing = write("keep-going.json", "{\"schema\": \"mconv.workflow/1\", \"continue_on_error\": true, "
                + steps + "}");
        CliRun all = run(keepGoing);
        assertEquals(3, all.exitCode(), "the exit code is the worst step's\n" + all.err());
        assertTrue(Files.size(dir.resolve("out/cnn.int8.onnx")) > 0, "with continue_on_error the next step runs");
        assertTrue(all.out().contains("1 of 2 converted"), all.out());
    }
}
