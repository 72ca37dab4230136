package io.mconv.cli;

import io.mconv.agent.inspect.InspectReport;
import io.mconv.agent.inspect.ModelInspector;
import io.mconv.agent.inspect.MacEstimator;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.render.InspectJson;
import io.mconv.cli.render.InspectText;
import io.mconv.cli.render.Json;
import io.mconv.ir.Shape;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv inspect MODEL}: what a model is, without running it (no ONNX Runtime, no libtorch). */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Show a model's size, parameters, operators, inputs and outputs, MACs, opsets and external "
                + "data, without running it.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv inspect model.onnx",
                "  mconv inspect model.onnx --json",
                "  mconv inspect model.onnx --input-shape input:8x3x224x224   # MACs at batch 8"})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model file.")
    Path model;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    InputShapeOptions inputShapes;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many of the largest initializers to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (top < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top must be 0 or more, not " + top);
        }
        Map<String, Shape> overrides = inputShapes.shapes();
        try (IrModelFile file = new ModelLoader(limitOptions.limits()).load(model)) {
            InspectReport.Macs macs;
            try {
                macs = new MacEstimator().estimate(file.model(), overrides);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            InspectReport report = new ModelInspector(top).inspect(file, macs);
            if (output.json()) {
                new Json().print(spec.commandLine().getOut(), InspectJson.render(report));
            } else {
                InspectText.render(report, spec.commandLine().getOut());
            }
        }
        return ExitCodes.OK;
    }
}
