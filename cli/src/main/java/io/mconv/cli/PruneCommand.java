package io.mconv.cli;

import io.mconv.agent.prune.PruneOptions;
import io.mconv.agent.prune.PruneResult;
import io.mconv.agent.prune.Pruner;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.PruneRender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv prune MODEL -o OUT --sparsity X [--structured]}: magnitude pruning, measured against the original. */
@Command(name = "prune",
        mixinStandardHelpOptions = true,
        description = "Prune an ONNX model by weight magnitude: zero the smallest weights of each Conv/Gemm/MatMul, "
                + "or with --structured remove the output channels of smallest L1 norm and rewrite what reads "
                + "them. Reports sparsity, parameters, size and latency ratios and the accuracy effect (cosine, "
                + "max abs error, top-1) against the original in ONNX Runtime; writes atomically.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv prune resnet.onnx -o resnet.sparse.onnx --sparsity 0.5",
                "  mconv prune resnet.onnx -o resnet.slim.onnx --sparsity 0.3 --structured --json",
                "  mconv prune bert.onnx -o bert.sparse.onnx --sparsity 0.5 --max-accuracy-drop 0.05",
                "Exit codes: 0 ok, 1 the accuracy drop passes --max-accuracy-drop (nothing written), 2 usage, "
                        + "3 invalid model, 4 internal error"})
final class PruneCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model to prune.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file.")
    Path out;

    @Option(names = "--sparsity", required = true, paramLabel = "X", description = "Share of each layer's weights "
            + "(or, with --structured, output channels) to remove, strictly between 0 and 1.")
    double sparsity;

    @Option(names = "--structured", description = "Remove whole output channels (Conv filters, Gemm/MatMul "
            + "columns); the model gets smaller. Layers whose channels reach a residual Add, Concat, Reshape, a "
            + "graph output or an operator that mixes channels are left alone and listed.")
    boolean structured;

    @Option(names = "--max-accuracy-drop", paramLabel = "X", description = "Exit 1 and write nothing when "
            + "1 - cosine of an output against the original exceeds X. Default: no bar (pruning without "
            + "fine-tuning loses accuracy; the report says how much).")
    Double maxAccuracyDrop;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    InputShapeOptions inputShapes;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PruneResult result = new Pruner(limitOptions.limits()).prune(model, out, options());
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), PruneRender.json(result));
        } else {
            PruneRender.text(result, spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    private PruneOptions options() {
        if (!(sparsity > 0 && sparsity < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--sparsity must be strictly between 0 and 1, got " + sparsity);
        }
        try {
            return PruneOptions.of(sparsity, structured).withMaxAccuracyDrop(maxAccuracyDrop)
                    .withInputShapes(inputShapes.shapes());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
