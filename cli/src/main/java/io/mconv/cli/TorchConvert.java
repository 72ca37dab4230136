package io.mconv.cli;

import io.mconv.limits.Limits;

import io.mconv.agent.export.TorchConverter;
import io.mconv.agent.export.TorchExportOptions;
import io.mconv.agent.export.TorchExportResult;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.options.InputShapeSpec;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.TorchExportRender;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.torch.archive.TorchScriptArchive;
import io.mconv.torch.export.ExportOptions;
import io.mconv.torch.export.InputSpec;
import io.mconv.torch.export.TorchScriptExporter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The TorchScript side of {@code mconv convert}: {@code --list-ops}, or export + validate + write. */
final class TorchConvert {

    /** Validation defaults for an export from fp32 libtorch (the atol 1e-4, rtol 1e-3). */
    static final Tolerance EXPORT_FP32 = Tolerance.of(1e-4, 1e-3);

    private TorchConvert() {
    }

    static int listOps(Path source, Limits limits, int opset, boolean json, PrintWriter out) {
        try (TorchScriptArchive archive = TorchScriptArchive.open(source, limits)) {
            List<TorchScriptExporter.OpCoverage> ops = new TorchScriptExporter().listOps(archive, opset);
            if (json) {
                new Json().print(out, TorchExportRender.listOpsJson(source, opset, ops));
            } else {
                TorchExportRender.listOpsText(source, opset, ops, out);
            }
            return ExitCodes.OK;
        }
    }

    static TorchExportResult convert(Path source, Path target, Limits limits, int opset, List<InputShapeSpec> shapes,
                                      Map<String, Map<Integer, String>> dynamicAxes, boolean validate,
                                      Tolerance tolerance, ExternalDataPolicy policy, long threshold)
            throws IOException {
        List<InputSpec> inputs = shapes.stream().map(InputShapeSpec::exportInput).toList();
        TorchExportOptions options = new TorchExportOptions(new ExportOptions(opset, inputs, dynamicAxes),
                true,
                validate, tolerance == null ? EXPORT_FP32 : tolerance, 0, policy, threshold);
        return new TorchConverter(limits).convert(source, target, options);
    }
}
