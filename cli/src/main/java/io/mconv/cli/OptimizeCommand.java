package io.mconv.cli;

import io.mconv.agent.optimize.OptimizationResult;
import io.mconv.agent.optimize.OptimizeOptions;
import io.mconv.agent.optimize.Optimizer;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.ExternalDataOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.options.ValidationOptions;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.OptimizeRender;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv optimize MODEL -o OUT}: graph optimization, proven in ONNX Runtime before anything is written. */
@Command(name = "optimize",
        mixinStandardHelpOptions = true,
        description = "Optimize an ONNX model (dead code, no-ops, constant folding, fusions) and prove in ONNX "
                + "Runtime that it still computes the same outputs before writing it.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv optimize model.onnx -o model.opt.onnx",
                "  mconv optimize model.onnx -o model.opt.onnx -O aggressive --target ort",
                "  mconv optimize bert.onnx -o bert.opt.onnx -O aggressive --opset 20   # allows Gelu fusion",
                "  mconv optimize model.onnx -o out.onnx --passes eliminate-dead-code --json",
                "  mconv passes   # lists every pass"})
final class OptimizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model to optimize.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file.")
    Path out;

    @Option(names = {"-O", "--optimize"}, paramLabel = "LEVEL", defaultValue = "basic",
            description = "none, basic (portable at the model's opset) or aggressive (fusions into newer standard "
                    + "ops). Default: ${DEFAULT-VALUE}.")
    String level;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "portable",
            description = "portable (standard ops only) or ort (also ONNX Runtime contrib ops). Default: "
                    + "${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--passes", split = ",", paramLabel = "P", description = "Run exactly these passes (see "
            + "'mconv passes').")
    List<String> passes = List.of();

    @Option(names = "--disable", split = ",", paramLabel = "P", description = "Leave these passes out.")
    List<String> disable = List.of();

    @Option(names = "--opset", paramLabel = "N", description = "Raise the default-domain opset to N first (refused "
            + "when an operator of the model changed definition in between).")
    Integer opset;

    @Option(names = "--verify-each", description = "Check the IR's invariants after every pass.")
    boolean verifyEach;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    InputShapeOptions inputShapes;

    @Mixin
    ValidationOptions validation;

    @Mixin
    ExternalDataOptions externalData;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OptimizationLevel lvl;
        Target tgt;
        try {
            lvl = OptimizationLevel.parse(level);
            tgt = Target.parse(target);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        OptimizeOptions options = new OptimizeOptions(lvl, tgt, passes, disable, inputShapes.shapes(), opset,
                verifyEach, validation.validate(), validation.tolerance(spec.commandLine()), externalData.policy(),
                externalData.thresholdBytes());
        OptimizationResult result = new Optimizer(limitOptions.limits()).optimize(model, out, options);
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), OptimizeRender.json(result));
        } else {
            OptimizeRender.text(result, output.verbose(), spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }
}
