package io.mconv.torch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.validation.SourceValidation;
import io.mconv.agent.validation.SourceValidator;
import io.mconv.ir.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance as the user runs it: every zoo model, exported, is validated against libtorch (2.7.1
 * through DJL, in a worker JVM) on torch's reference inputs, within atol 1e-4 / rtol 1e-3, by the same validator
 * {@code mconv convert} uses before it writes. Prints the table.
 */
class ZooLibtorchValidationTest {

    @TempDir
    Path inputs;

    @Test
    void everyZooModelValidatesAgainstLibtorch() throws IOException {
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-22s %11s %11s %9s  %s%n", "model",
                "max abs", "max rel", "cosine", "result"));
        for (String name : TorchZoo.names()) {
            TorchZoo.Model zoo = TorchZoo.load(name);
            String row;
            try {
                Model model = ZooExportTest.export(zoo);
                Path dir = Files.createDirectories(inputs.resolve(name));
                for (int i = 0; i < zoo.inputs().size(); i++) {
                    Files.copy(TorchZoo.dir().resolve(name + ".input_" + i + ".pb"), dir.resolve("input_" + i + ".pb"));
                }
                SourceValidation v = new SourceValidator(SourceValidator.Options.defaults()
                        .withTolerance(Tolerance.of(1e-4, 1e-3)).withInputsDir(dir))
                        .validate(zoo.archive(), model, Path.of(name + ".onnx"));
                List<ComparisonResult> outs = v.report().outputs();
                double maxAbs = outs.stream().mapToDouble(ComparisonResult::maxAbsError).max().orElse(0);
                double maxRel = outs.stream().mapToDouble(ComparisonResult::maxRelError).max().orElse(0);
                double cosine = outs.stream().mapToDouble(ComparisonResult::cosineSimilarity).min().orElse(1);
                row = String.format(Locale.ROOT, "%-22s %11.3g %11.3g %9.6f  %s", name, maxAbs, maxRel, cosine,
                        v.passed() ? "ok" : "MISMATCH");
                if (!v.passed()) {
                    failures.add(name + ": " + v.report().firstFailure());
                }
            } catch (RuntimeException e) {
                row = String.format(Locale.ROOT, "%-22s FAILED: %s", name, String.valueOf(e.getMessage())
                        .replace('\n', ' '));
                failures.add(name + ": " + e);
            }
            table.append(row).append('\n');
        }
        System.out.println("TorchScript zoo: exported ONNX (ORT) vs libtorch (DJL), torch's reference inputs:\n"
                + table);
        assertEquals(List.of(), failures);
    }

}
