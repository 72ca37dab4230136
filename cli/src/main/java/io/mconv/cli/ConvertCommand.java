package io.mconv.cli;

import io.mconv.agent.convert.ConversionResult;
import io.mconv.agent.convert.ConvertOptions;
import io.mconv.agent.convert.OnnxConverter;
import io.mconv.cli.options.ExternalDataOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.options.ValidationOptions;
import io.mconv.cli.render.ConvertRender;
import io.mconv.cli.render.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mconv convert MODEL --to onnx -o OUT}. In this build the source is an ONNX model: it is read, written back
 * (inline, or with external data), and validated in ONNX Runtime first. Later issues add TorchScript sources,
 * optimization, quantization and constraints to the same command.
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = "Convert a model to ONNX, proving in ONNX Runtime that the result computes what the source "
                + "computes. This build takes ONNX sources (rewrite, external data).",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv convert model.onnx --to onnx -o out.onnx",
                "  mconv convert big.onnx --to onnx -o out.onnx --external-data --external-data-threshold 1MB",
                "  mconv convert model.onnx --to onnx -o out.onnx --input-shape input:1x3x224x224 --json"})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The source model (.onnx).")
    Path model;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "Target format: onnx.")
    String to;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Output file (default: <model>.mconv.onnx beside the source).")
    Path out;

    @Mixin
    ExternalDataOptions externalData;

    @Mixin
    ValidationOptions validation;

    @Mixin
    InputShapeOptions inputShapes;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!to.equalsIgnoreCase("onnx")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to '" + to + "' is not supported "
                    + "(accepted: onnx)");
        }
        Path target = out != null ? out : defaultOutput(model);
        ConvertOptions options = new ConvertOptions(externalData.policy(), externalData.thresholdBytes(),
                validation.validate(), validation.tolerance(spec.commandLine()), inputShapes.shapes(), 0);
        ConversionResult result = new OnnxConverter().convert(model, target, options);
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), ConvertRender.json(result));
        } else {
            ConvertRender.text(result, spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    private static Path defaultOutput(Path source) {
        String name = source.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5)
                : name;
        return source.resolveSibling(stem + ".mconv.onnx");
    }
}
