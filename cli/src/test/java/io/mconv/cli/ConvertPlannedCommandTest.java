package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mconv convert MODEL --to onnx} as a planned chain (export, optimize, quantize, validate, profile), through
 * the real entry point, on the committed TorchScript fixture: real libtorch, real ONNX Runtime, a real cache folder.
 * The cache folder is shared by the tests of this class, as it is by a user's runs.
 */
class ConvertPlannedCommandTest {

    @TempDir
    static Path cache;

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path cnn() {
        return Fixtures.testdata().resolve("torch").resolve("traced_cnn.pt");
    }

    private static List<String> args(Path out, String... extra) {
        return quantized("int8", out, extra);
    }

    private static List<String> quantized(String mode, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("convert", cnn().toString(), "--to", "onnx", "-o", out.toString(),
                "--input-shape", "x:1x3x8x8", "--quantize", mode, "--cache-dir", cache.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() throws Exception {
        Path out = dir.resolve("cnn.onnx");
        CliRun r = run(args(out, "--dry-run", "--json"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("mconv.convert.plan/1", doc.get("schema").asText());
        JsonNode plan = doc.get("plans").get(0);
        assertEquals("torchscript", plan.get("source_kind").asText());
        List<String> steps = new ArrayList<>();
        plan.get("steps").forEach(s -> steps.add(s.get("name").asText() + ":" + s.get("type").asText()));
        assertEquals(List.of("export:export", "optimize:optimize", "quantize:quantize", "validate:validate",
                "profile:profile"), steps);
        assertEquals("int8", plan.get("steps").get(2).get("options").get("mode").asText());
        assertEquals("basic", plan.get("steps").get(1).get("options").get("level").asText());
        assertFalse(Files.exists(out));

        CliRun text = run(args(out, "--dry-run", "--optimize", "none"));
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("1. export"), text.out());
        assertFalse(text.out().contains("optimize "), "--optimize none drops the step: " + text.out());
        assertTrue(text.out().contains("Dry run: nothing was run or written."), text.out());
    }

    @Test
    void quantizesToInt8ValidatesAgainstLibtorchAndRecordsProvenance() throws Exception {
        Path out = dir.resolve("cnn.int8.onnx");
        Path report = dir.resolve("report.json");
        CliRun r = run(args(out, "--json", "--report", report.toString()));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("mconv.convert/1", doc.get("schema").asText());
        assertEquals(doc, JSON.readTree(report.toFile()), "--report writes the document --json prints");
        assertTrue(doc.get("written").asBoolean());
        assertEquals(Files.size(cnn()), doc.get("source_bytes").asLong());
        assertEquals(Files.size(out), doc.get("target_bytes").asLong());
        assertTrue(doc.get("target_bytes").asLong() < doc.get("source_bytes").asLong(), r.out());
        assertTrue(doc.get("accuracy_drop").asDouble() < 0.01, r.out());
        assertTrue(doc.get("speedup").asDouble() > 0, r.out());
        assertTrue(doc.get("latency_ms").get("result_p50").asDouble() > 0, r.out());
        assertTrue(doc.get("peak_memory_bytes").asLong() > 0, r.out());
        JsonNode quantize = doc.get("steps").get(2);
        assertEquals("quantize", quantize.get("type").asText());
        assertEquals("int8", quantize.get("figures").get("precision").asText());
        JsonNode validate = doc.get("steps").get(3);
        assertTrue(validate.get("figures").get("providers").get(0).get("reference").asText().contains("libtorch"));

        Onnx.ModelProto written = Onnx.ModelProto.parseFrom(Files.readAllBytes(out));
        assertTrue(written.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("MatMulInteger")
                || n.getOpType().equals("ConvInteger")), "an integer kernel in the result");
        String provenance = written.getMetadataPropsList().stream().filter(p -> p.getKey().equals("mconv.provenance"))
                .findFirst().orElseThrow().getValue();
        JsonNode p = JSON.readTree(provenance);
        assertEquals(sha256(cnn()), p.get("source").get("sha256").asText());
        assertEquals(5, p.get("steps").size());
        assertTrue(p.get("validation").get("passed").asBoolean());

        CliRun inspect = CliRun.of("inspect", out.toString(), "--json");
        assertEquals(0, inspect.exitCode(), inspect.err());
        JsonNode shown = JSON.readTree(inspect.out()).get("provenance");
        assertEquals(sha256(cnn()), shown.get("source").get("sha256").asText());
        assertEquals("quantize", shown.get("steps").get(2).get("name").asText());
        CliRun inspectText = CliRun.of("inspect", out.toString());
        assertTrue(inspectText.out().contains("Provenance"), inspectText.out());
        assertTrue(inspectText.out().contains("export -> optimize -> quantize -> validate -> profile"),
                inspectText.out());
    }

    @Test
    void aSecondIdenticalRunIsServedFromTheCacheAndWritesTheSameFile() throws Exception {
        Path first = dir.resolve("first.onnx");
        Path second = dir.resolve("second.onnx");
        CliRun a = run(args(first, "--json"));
        assertEquals(0, a.exitCode(), a.err());
        CliRun b = run(args(second, "--json"));
        assertEquals(0, b.exitCode(), b.err());
        JsonNode doc = JSON.readTree(b.out());
        assertEquals(5, doc.get("cache_hits").asInt(), b.out());
        doc.get("steps").forEach(s -> assertTrue(s.get("cached").asBoolean(), s.toString()));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertEquals(JSON.readTree(a.out()).get("accuracy_drop"), doc.get("accuracy_drop"));

        Path fresh = dir.resolve("fresh.onnx");
        CliRun c = run(args(fresh, "--json", "--no-cache"));
        assertEquals(0, c.exitCode(), c.err());
        assertEquals(0, JSON.readTree(c.out()).get("cache_hits").asInt());
    }

    @Test
    void aMissedConstraintExitsOneWithItsFigureAndWritesNothing() throws Exception {
        Path out = dir.resolve("small.onnx");
        Path report = dir.resolve("miss.json");
        CliRun r = run(args(out, "--max-size", "1KB", "--max-accuracy-drop", "0.5", "--report", report.toString()));
        assertEquals(1, r.exitCode(), r.err());
        assertFalse(Files.exists(out), "nothing written");
        assertTrue(r.err().contains("--max-size 1000 bytes: measured"), r.err());
        assertFalse(r.err().contains("--max-accuracy-drop"), "a met constraint is not reported as missed: " + r.err());
        JsonNode doc = JSON.readTree(report.toFile());
        assertFalse(doc.get("constraints_met").asBoolean());
        assertFalse(doc.get("written").asBoolean());
        JsonNode size = doc.get("constraints").get(0);
        assertEquals("max-size", size.get("name").asText());
        assertFalse(size.get("met").asBoolean());
        assertTrue(doc.get("constraints").get(1).get("met").asBoolean());
    }

    @Test
    void anOnnxSourceIsQuantizedStaticallyAndValidatedAgainstTheOriginalInOnnxRuntime() throws Exception {
        Path src = Fixtures.testdata().resolve("examples").resolve("tiny_cnn.onnx");
        Path out = dir.resolve("tiny.int8.onnx");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--quantize",
                "int8-static", "--cache-dir", cache.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        List<String> types = new ArrayList<>();
        doc.get("steps").forEach(s -> types.add(s.get("type").asText()));
        assertEquals(List.of("optimize", "quantize", "validate", "profile"), types, "no export for an ONNX source");
        assertEquals("int8", doc.get("steps").get(1).get("figures").get("precision").asText());
        JsonNode provider = doc.get("steps").get(2).get("figures").get("providers").get(0);
        assertTrue(provider.get("reference").asText().contains("onnxruntime"), provider.toString());
        assertTrue(doc.get("accuracy_drop").asDouble() < 0.01, r.out());
        Onnx.ModelProto written = Onnx.ModelProto.parseFrom(Files.readAllBytes(out));
        assertTrue(written.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("QuantizeLinear")));

        CliRun misuse = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", out.toString(), "--quantize", "int8",
                "--calibration", dir.toString(), "--cache-dir", cache.toString());
        assertEquals(2, misuse.exitCode(), misuse.err());
        assertTrue(misuse.err().contains("int8-static"), misuse.err());
    }

    /**
     * A source that is not there, or not a file, is exit 3 with one line naming it, on every path through convert:
     * without the cache (the step runner used to hash it first and die with an internal error, exit 4), with it,
     * and for a dry run (which printed a plan for a missing file).
     */
    @Test
    void aMissingOrFolderSourceIsExit3WithOneLineOnEveryPath() throws Exception {
        Path missing = dir.resolve("missing.onnx");
        Path missingPt = dir.resolve("missing.pt");
        Path folder = Files.createDirectory(dir.resolve("model.pt"));
        Path out = dir.resolve("out.onnx");
        List<List<String>> runs = List.of(
                List.of("convert", missing.toString(), "--to", "onnx", "-o", out.toString(), "--no-cache"),
                List.of("convert", missing.toString(), "--to", "onnx", "-o", out.toString(), "--quantize", "int8",
                        "--cache-dir", cache.toString()),
                List.of("convert", missingPt.toString(), "--to", "onnx", "-o", out.toString(), "--no-cache"),
                List.of("convert", missingPt.toString(), "--to", "onnx", "-o", out.toString(), "--dry-run"),
                List.of("convert", missingPt.toString(), "--to", "onnx", "-o", out.toString(), "--dry-run", "--json"),
                List.of("convert", folder.toString(), "--to", "onnx", "-o", out.toString(), "--no-cache"));
        for (List<String> args : runs) {
            CliRun r = run(args);
            String source = args.get(1);
            assertEquals(3, r.exitCode(), args + ": " + r.err());
            assertEquals("", r.out(), args.toString());
            List<String> lines = r.err().lines().toList();
            assertEquals(1, lines.size(), args + ": " + r.err());
            String reason = source.equals(folder.toString()) ? "is a folder, not a model file" : "no such file";
            assertEquals("mconv: error: " + source + ": " + reason, lines.get(0), args.toString());
            assertFalse(Files.exists(out), args.toString());
        }
    }

    @Test
    void aFailingStepNamesItsTypeAndKeepsItsExitCode() throws Exception {
        Path src = Fixtures.testdata().resolve("torch").resolve("export").resolve("unsupported_ops.pt");
        CliRun r = CliRun.of("convert", src.toString(), "--to", "onnx", "-o", dir.resolve("u.onnx").toString(),
                "--input-shape", "x:2x4x4", "--quantize", "int8", "--cache-dir", cache.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("the export step (export) failed"), r.err());
    }

    @Test
    void quantizeAutoWritesTheFastestMeasuredPlanWithinTheLimit() throws Exception {
        Path out = dir.resolve("auto.onnx");
        CliRun r = run(quantized("auto", out, "--max-accuracy-drop", "0.01", "--json"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = JSON.readTree(r.out());
        JsonNode quantize = null;
        for (JsonNode step : report.get("steps")) {
            if (step.get("name").asText().equals("quantize")) {
                quantize = step;
            }
        }
        assertNotNull(quantize, r.out());
        JsonNode figures = quantize.get("figures");
        List<String> plans = new ArrayList<>();
        JsonNode chosen = null;
        for (JsonNode row : figures.get("candidates")) {
            plans.add(row.get("plan").asText());
            if (row.get("chosen").asBoolean()) {
                assertNull(chosen, "one plan is chosen");
                chosen = row;
            }
        }
        assertTrue(plans.contains("fp32") && plans.size() >= 4, plans.toString());
        assertNotNull(chosen, figures.toString());
        assertEquals(figures.get("plan").asText(), chosen.get("plan").asText());
        assertTrue(chosen.get("meets").asBoolean(), chosen.toString());
        if (chosen.get("plan").asText().equals("fp32") && !chosen.get("pareto").asBoolean()) {
            // The 5% rule (README): a quantized plan that dominates fp32 by less than 5% leaves the model float.
            assertTrue(chosen.get("reason").asText().contains("is not clearly faster than fp32"), chosen.toString());
            double fastest = 1.0;
            for (JsonNode row : figures.get("candidates")) {
                if (row.get("meets").asBoolean()) {
                    fastest = Math.min(fastest, row.get("latency_ratio").asDouble());
                }
            }
            assertTrue(fastest >= 0.95, "a plan 5% faster than fp32 would have been picked: " + figures);
        } else {
            assertTrue(chosen.get("pareto").asBoolean(), "a quantized pick is on the size/latency front: " + chosen);
        }
        assertTrue(chosen.get("latency_ratio").asDouble() <= 1.0, "never slower than fp32: " + chosen);
        assertTrue(report.get("accuracy_drop").asDouble() <= 0.01, report.get("accuracy_drop").toString());
        assertTrue(report.get("constraints_met").asBoolean(), report.get("constraints").toString());
        assertTrue(Files.isRegularFile(out));

        CliRun text = run(quantized("auto", dir.resolve("auto2.onnx"), "--max-accuracy-drop", "0.01"));
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("* chosen") && text.out().contains("fp32"), text.out());
    }

    @Test
    void aGpuTargetIsValidatedOnCudaOrWarnedAbout() throws Exception {
        Path out = dir.resolve("gpu.onnx");
        CliRun r = run(args(out, "--target", "cpu,gpu", "--json"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode validate = JSON.readTree(r.out()).get("steps").get(3);
        List<String> providers = new ArrayList<>();
        validate.get("figures").get("providers").forEach(p -> providers.add(p.get("provider").asText()));
        if (ExecutionProvider.available().contains(ExecutionProvider.CUDA)) {
            assertEquals(List.of("cpu", "cuda"), providers);
        } else {
            assertEquals(List.of("cpu"), providers);
            assertEquals("provider-unavailable", validate.get("diagnostics").get(0).get("code").asText());
        }
    }

    @Test
    void aBatchWithOneBadFilePrintsASummaryAndExitsWithTheWorstCode() throws Exception {
        Path bad = dir.resolve("broken.onnx");
        Files.writeString(bad, "this is not a model");
        Path outDir = dir.resolve("out");
        CliRun r = CliRun.of("convert", cnn().toString(), bad.toString(), "--to", "onnx", "-o", outDir.toString(),
                "--input-shape", "x:1x3x8x8", "--quantize", "int8", "--cache-dir", cache.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.out().contains("MODEL"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("traced_cnn.pt") && l.contains(" ok ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("broken.onnx") && l.contains("failed")), r.out());
        assertTrue(r.out().contains("1 of 2 converted"), r.out());
        assertTrue(r.err().contains("broken.onnx"), r.err());
        assertTrue(Files.isRegularFile(outDir.resolve("traced_cnn.onnx")));
        assertFalse(Files.exists(outDir.resolve("broken.mconv.onnx")));

        CliRun json = CliRun.of("convert", cnn().toString(), bad.toString(), "--to", "onnx", "-o", outDir.toString(),
                "--input-shape", "x:1x3x8x8", "--quantize", "int8", "--cache-dir", cache.toString(), "--json");
        JsonNode doc = JSON.readTree(json.out());
        assertEquals("mconv.convert/1", doc.get("schema").asText());
        assertEquals(3, doc.get("exit_code").asInt());
        assertEquals(0, doc.get("models").get(0).get("exit_code").asInt());
        assertEquals(3, doc.get("models").get(1).get("exit_code").asInt());
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
