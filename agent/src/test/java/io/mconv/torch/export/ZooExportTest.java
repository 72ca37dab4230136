package io.mconv.torch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.export.TorchConverterTesting;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.torch.archive.TorchScriptArchive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acceptance table of the exporter: every model of the TorchScript zoo is exported (opset 17, basic cleanup),
 * checked by the verifier, run in ONNX Runtime (CPU, graph optimizations off) on torch's seeded reference input,
 * and compared with torch's own output within atol 1e-4 / rtol 1e-3. The table is printed; any failure fails the
 * test with the list of models and causes.
 */
class ZooExportTest {

    private static final Tolerance TOLERANCE = Tolerance.of(1e-4, 1e-3);

    @Test
    void everyZooModelExportsAndMatchesTorch() {
        List<String> names = TorchZoo.names();
        assertTrue(names.size() >= 19, "the zoo should hold at least the 19 models of the issue, has " + names);
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-22s %6s %6s %11s %11s  %s%n",
                "model", "nodes", "ops", "max abs", "max rel", "result"));
        for (String name : names) {
            TorchZoo.Model zoo = TorchZoo.load(name);
            String row;
            try {
                Model model = export(zoo);
                GraphVerifier.verify(model);
                List<ComparisonResult> results = runAndCompare(model, zoo);
                double maxAbs = results.stream().mapToDouble(ComparisonResult::maxAbsError).max().orElse(0);
                double maxRel = results.stream().mapToDouble(ComparisonResult::maxRelError).max().orElse(0);
                boolean ok = results.stream().allMatch(ComparisonResult::passed);
                long ops = model.graph().nodes().stream().map(n -> n.opType()).distinct().count();
                row = String.format(Locale.ROOT, "%-22s %6d %6d %11.3g %11.3g  %s", name, model.graph().nodeCount(),
                        ops, maxAbs, maxRel, ok ? "ok" : "MISMATCH");
                if (!ok) {
                    failures.add(name + ": " + results);
                }
            } catch (RuntimeException e) {
                row = String.format(Locale.ROOT, "%-22s %6s %6s %11s %11s  FAILED: %s", name, "-", "-", "-", "-",
                        oneLine(e));
                failures.add(name + ": " + oneLine(e));
            }
            table.append(row).append('\n');
        }
        System.out.println("TorchScript zoo export (opset 17) vs torch 1.13 reference outputs:\n" + table);
        assertEquals(List.of(), failures, "models that do not export or do not match torch");
    }

    static Model export(TorchZoo.Model zoo) {
        try (TorchScriptArchive archive = TorchScriptArchive.open(zoo.archive())) {
            Model model = new TorchScriptExporter().export(archive, new ExportOptions(17, zoo.inputs(), Map.of()))
                    .model();
            TorchConverterTesting.cleanup(model);
            return model;
        }
    }

    static List<ComparisonResult> runAndCompare(Model model, TorchZoo.Model zoo) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<Value> inputs = model.graph().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            feeds.put(inputs.get(i).name(), zoo.referenceInputs().get(i));
        }
        try (OrtModelRunner runner = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            List<Tensor> outs = new ArrayList<>(runner.run(feeds).values());
            assertEquals(zoo.referenceOutputs().size(), outs.size(), zoo.name() + ": output count");
            List<ComparisonResult> results = new ArrayList<>();
            for (int i = 0; i < outs.size(); i++) {
                results.add(TensorComparison.compare("output_" + i, zoo.referenceOutputs().get(i), outs.get(i),
                        TOLERANCE));
            }
            return results;
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getClass().getSimpleName() + ": " + e.getMessage();
        return m.replace('\n', ' ');
    }
}
