package io.mconv.cli;

import static io.mconv.cli.ProfileFixtures.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.cli.render.ProfileCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandTest {

    private static final List<String> LATENCY_KEYS = List.of("mean", "p50", "p90", "p95", "p99", "min", "max",
            "stddev");

    private static JsonNode json(CliRun r) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void textReportOfTinyCnn() {
        CliRun r = CliRun.of(args("profile", ProfileFixtures.tinyCnn().toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("onnxruntime 1.29.0 (cpu)"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  -\\s+5\\s+[0-9.]+.*"), "one row of 5 iterations: " + r.out());
        assertTrue(r.out().contains("MACs              1.62M"), r.out());
        assertTrue(r.out().contains("peak RSS"), r.out());
        assertTrue(r.out().contains("per-op (ORT profiler, 2 runs"), r.out());
        assertEquals("", r.err(), "no progress line when stderr is not a terminal");
    }

    @Test
    void jsonOfTwoModelsHasTheDocumentedSchema() throws Exception {
        String m = ProfileFixtures.tinyCnn().toString();
        JsonNode doc = json(CliRun.of(args("profile", m, m, "--json")));
        assertEquals("mconv.profile/1", doc.get("schema").asText());
        assertTrue(doc.get("runtime").asText().startsWith("onnxruntime 1.29"));
        assertEquals(5, doc.get("settings").get("iterations").asInt());
        assertEquals(2, doc.get("models").size());
        for (JsonNode model : doc.get("models")) {
            JsonNode lat = model.get("latency_ms");
            for (String k : LATENCY_KEYS) {
                assertTrue(lat.get(k).isNumber() && lat.get(k).asDouble() > 0, k + " in " + lat);
            }
            assertTrue(lat.get("min").asDouble() <= lat.get("p50").asDouble()
                    && lat.get("p50").asDouble() <= lat.get("p99").asDouble()
                    && lat.get("p99").asDouble() <= lat.get("max").asDouble(), lat.toString());
            assertEquals(5, model.get("iterations").asInt());
            assertEquals(1_622_336L, model.get("macs").asLong());
            assertTrue(model.get("session_create_ms").asDouble() > 0);
            assertTrue(model.get("first_inference_ms").asDouble() > 0);
            assertTrue(model.get("memory").get("peak_rss_bytes").asLong() > 0);
            assertTrue(model.get("memory").get("arena_bytes").isNull());
            assertTrue(model.get("memory").get("arena_note").asText().startsWith("not available"));
            assertEquals(2, model.get("ops").get("runs").asInt());
            double shares = 0;
            for (JsonNode t : model.get("ops").get("by_op_type")) {
                shares += t.get("share").asDouble();
            }
            assertEquals(1.0, shares, 1e-9);
            assertEquals(5, sum(model.get("batches").get(0).get("histogram").get("counts")));
        }
        assertEquals(1.0, doc.get("models").get(0).get("speedup").asDouble(), 1e-12);
        JsonNode cmp = doc.get("comparison");
        assertEquals(2, cmp.size());
        double expected = cmp.get(0).get("p50_ms").asDouble() / cmp.get(1).get("p50_ms").asDouble();
        assertEquals(expected, cmp.get(1).get("speedup").asDouble(), 1e-9);
    }

    private static int sum(JsonNode array) {
        int s = 0;
        for (JsonNode n : array) {
            s += n.asInt();
        }
        return s;
    }

    @Test
    void batchSizesOfADynamicModel(@TempDir Path dir) throws Exception {
        Path mlp = ProfileFixtures.dynamicMlp(dir);
        JsonNode doc = json(CliRun.of(args("profile", mlp.toString(), "--batch", "1,4,16", "--json")));
        JsonNode batches = doc.get("models").get(0).get("batches");
        assertEquals(3, batches.size());
        int[] sizes = {1, 4, 16};
        for (int i = 0; i < 3; i++) {
            JsonNode b = batches.get(i);
            assertEquals(sizes[i], b.get("batch").asInt());
            assertEquals(sizes[i], b.get("input_shapes").get("x").get(0).asInt());
            assertEquals(10_240L * sizes[i], b.get("macs").asLong());
            assertEquals(sizes[i] * 1000 / b.get("latency_ms").get("mean").asDouble(),
                    b.get("throughput_per_s").asDouble(), 1e-6);
        }
        assertEquals(1, doc.get("models").get(0).get("batch").asInt(), "headline figures are the first batch's");
    }

    @Test
    void csvHasTheHeaderAndOneRowPerModelAndBatch(@TempDir Path dir) throws Exception {
        Path mlp = ProfileFixtures.dynamicMlp(dir);
        Path csv = dir.resolve("out.csv");
        CliRun r = CliRun.of(args("profile", mlp.toString(), "--batch", "2,8", "--csv", csv.toString()));
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(ProfileCsv.HEADER, lines.get(0));
        assertEquals(3, lines.size());
        String[] row = lines.get(2).split(",");
        assertEquals(ProfileCsv.HEADER.split(",").length, row.length);
        assertEquals(mlp.toString(), row[0]);
        assertEquals("8", row[1]);
        assertEquals("5", row[2]);
        assertEquals("81920", row[12], "MACs at batch 8");
        assertTrue(r.out().contains("mlp_dynamic"), "the text report still goes to stdout");
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
    }

    @Test
    void htmlFileIsSelfContained(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("report.html");
        CliRun r = CliRun.of(args("profile", ProfileFixtures.tinyCnn().toString(), "--html", html.toString()));
        assertEquals(0, r.exitCode(), r.err());
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<script type=\"application/json\" id=\"profile-data\">{\"schema\":\"mconv.profile/1\""));
        assertTrue(page.contains("<td>tiny_cnn</td>"), "the comparison table is static HTML");
        assertTrue(page.contains("default-src 'none'"), "a CSP forbids every fetch");
        // The SVG namespace is an identifier, not a fetch; nothing else may point outside the file.
        String rest = page.replace("'http://www.w3.org/2000/svg'", "");
        for (String remote : new String[] {"http://", "https://", " src=", " href=", "@import", "url("}) {
            assertFalse(rest.contains(remote), "external reference " + remote);
        }
    }

    @Test
    void usageErrorsExitTwoNamingTheBadValue() {
        String m = ProfileFixtures.tinyCnn().toString();
        CliRun r = CliRun.of("profile", m, "--duration", "10");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("invalid time '10'"), r.err());
        r = CliRun.of("profile", m, "--iterations", "0");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--iterations must be 1 or more, not 0"), r.err());
        r = CliRun.of("profile", m, "--batch", "1,x");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("'x'"), r.err());
        r = CliRun.of("profile", m, "--iterations", "5", "--duration", "1s");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
        r = CliRun.of("profile", m, "--provider", "warp");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("unknown execution provider 'warp'"), r.err());
        r = CliRun.of("profile", m, "--csv", m);
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("is one of the models being profiled"), r.err());
    }

    @Test
    void batchOnAFixedBatchModelIsAUsageError() {
        CliRun r = CliRun.of(args("profile", ProfileFixtures.tinyCnn().toString(), "--batch", "1,8"));
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--batch 1: tiny_cnn.onnx has no input with a symbolic first dimension"),
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void batchWithInputFilesIsAUsageError(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of(args("profile", ProfileFixtures.tinyCnn().toString(), "--batch", "2", "--inputs",
                dir.toString()));
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--batch cannot be combined with --inputs"), r.err());
    }

    @Test
    void inputFilesFeedTheModel(@TempDir Path dir) throws Exception {
        Files.copy(ProfileFixtures.tinyCnn().resolveSibling("tiny_cnn.input.pb"), dir.resolve("input_0.pb"));
        JsonNode doc = json(CliRun.of(args("profile", ProfileFixtures.tinyCnn().toString(), "--inputs",
                dir.toString(), "--json")));
        assertEquals(dir.toString(), doc.get("settings").get("inputs").asText());
        assertEquals(5, doc.get("models").get(0).get("iterations").asInt());
    }

    @Test
    void missingProviderWarnsOrFailsWithStrictProvider() throws Exception {
        String m = ProfileFixtures.tinyCnn().toString();
        CliRun r = CliRun.of(args("profile", m, "--provider", "cuda", "--json"));
        JsonNode doc = json(r);
        assertEquals("cpu", doc.get("models").get(0).get("providers").get(0).asText());
        assertTrue(r.err().startsWith("mconv: warning: tiny_cnn: execution provider cuda"), r.err());
        assertTrue(r.err().contains("Falling back to cpu"), r.err());
        CliRun strict = CliRun.of(args("profile", m, "--provider", "cuda", "--strict-provider"));
        assertEquals(ExitCodes.CHECK_FAILED, strict.exitCode());
        assertTrue(strict.err().contains("cuda (CUDAExecutionProvider) is not available"), strict.err());
        assertEquals("", strict.out());
    }

    @Test
    void aFileThatIsNotAModelExitsThree(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        CliRun r = CliRun.of(args("profile", junk.toString()));
        assertEquals(ExitCodes.INVALID_INPUT, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
    }
}
