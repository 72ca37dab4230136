package io.mconv.cli;

import io.mconv.agent.convert.ConversionResult;
import io.mconv.agent.convert.ConvertOptions;
import io.mconv.agent.convert.OnnxConverter;
import io.mconv.agent.export.TorchExportResult;
import io.mconv.agent.pipeline.ConvertSettings;
import io.mconv.cli.options.AgentOptions;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.DynamicAxesOptions;
import io.mconv.cli.options.ExternalDataOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.options.ValidationOptions;
import io.mconv.cli.render.ConvertRender;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.TorchExportRender;
import io.mconv.torch.export.ExportOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mconv convert MODEL --to onnx -o OUT}. A TorchScript source ({@code .pt} from torch.jit.trace or
 * torch.jit.script) is exported to ONNX in pure Java and validated against libtorch; an ONNX source is read,
 * converted to another opset with {@code --opset N}, and written back (inline, or with external data) after
 * validating it against the source in ONNX Runtime. Later issues add optimization,
 * quantization and constraints to the same command.
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = "Convert a model to ONNX, proving that the result computes what the source computes: a "
                + "TorchScript .pt is exported in pure Java and checked against libtorch; a state_dict .pt with "
                + "--arch is built into an MLP and ONNX Runtime is checked against mconv's reference evaluator; an "
                + "ONNX model is rewritten (external data) and checked in ONNX Runtime.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv convert resnet18.pt --to onnx -o resnet18.onnx --input-shape x:1x3x224x224",
                "  mconv convert bert.pt --to onnx --input-shape ids:1x128:int64 --dynamic-axes ids:0=batch",
                "  mconv convert model.pt --list-ops",
                "  mconv convert weights.pt --arch mlp:768,512,768:gelu --to onnx -o mlp.onnx",
                "  mconv convert model.onnx --to onnx -o out.onnx",
                "  mconv convert old.onnx --to onnx --opset 17 -o new.onnx",
                "  mconv convert bert.onnx --to onnx --opset 13 --target ort -o bert13.onnx   # for ONNX Runtime",
                "  mconv convert big.onnx --to onnx -o out.onnx --external-data --external-data-threshold 1MB",
                "  mconv convert model.onnx --to onnx -o out.onnx --input-shape input:1x3x224x224 --json",
                "Planned chain (export, optimize, quantize, validate, profile; steps cached in ~/.cache/mconv):",
                "  mconv convert traced_cnn.pt --to onnx --quantize int8 --input-shape x:1x3x8x8",
                "  mconv convert resnet18.pt --to onnx --quantize int8 --input-shape x:1x3x224x224 --dry-run",
                "  mconv convert model.pt --to onnx --quantize int8 --max-accuracy-drop 0.01 --max-size 20MB "
                        + "--report report.json",
                "  mconv convert model.onnx --to onnx --quantize int8-static --calibration samples/ --target cpu,gpu",
                "  mconv convert a.pt b.pt c.onnx --to onnx -o out/ --json   # batch: summary, worst exit code",
                "Exit codes: 0 ok, 1 validation mismatch or constraint missed (nothing written), 2 usage, "
                        + "3 invalid input, 4 internal error"})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "The source model (.pt TorchScript, or .onnx); "
            + "several convert in parallel with a summary table (-o is then a folder).")
    List<Path> models;

    /** The one model of a single conversion (the first of several, for the checks that apply to each). */
    Path model;

    @Mixin
    AgentOptions agent;

    @Option(names = "--to", paramLabel = "FORMAT", description = "Target format: onnx (required unless --list-ops).")
    String to;

    @Option(names = "--opset", paramLabel = "N", description = "Default-domain opset of the result: for a .pt "
            + "export 13 to 21 (default 17); for an ONNX model 7 to 21, up or down (default: keep the source's).")
    Integer opset;

    @Option(names = "--arch", paramLabel = "SPEC", description = "The architecture of a plain state_dict .pt "
            + "(weights without code): mlp:D0,D1,...,Dn[:relu|gelu|tanh|sigmoid|none], e.g. mlp:768,512,768:relu "
            + "for Linear(768,512), ReLU, Linear(512,768).")
    String arch;

    @Option(names = "--list-ops", description = "List the operators a .pt uses and whether each is covered at the "
            + "opset, then exit.")
    boolean listOps;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    DynamicAxesOptions dynamicAxes;

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
    public Integer call() throws Exception {
        model = models.get(0);
        if (models.size() > 1 || agent.given()) {
            return planned();
        }
        boolean torch = ConvertSettings.isTorchSource(model);
        int exportOpset = opset == null ? ExportOptions.DEFAULT_OPSET : opset;
        if (arch != null) {
            refuseOptionsThatDoNotFitArch(torch);
        }
        if (listOps) {
            if (!torch) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--list-ops takes a TorchScript .pt "
                        + "source; for an ONNX model use 'mconv inspect'");
            }
            return TorchConvert.listOps(model, limitOptions.limits(), exportOpset, output.json(), spec.commandLine().getOut());
        }
        if (to == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing --to FORMAT (accepted: onnx)");
        }
        if (!to.equalsIgnoreCase("onnx")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to '" + to + "' is not supported "
                    + "(accepted: onnx)");
        }
        Path target = out != null ? out : defaultOutput(model);
        if (arch != null) {
            TorchExportResult result = StateDictConvert.convert(model, target, limitOptions.limits(), arch, exportOpset, inputShapes.specs(),
                    validation.validate(), validation.tolerance(spec.commandLine()), externalData.policy(),
                    externalData.thresholdBytes());
            return render(result);
        }
        if (torch) {
            TorchExportResult result = TorchConvert.convert(model, target, limitOptions.limits(), exportOpset, inputShapes.specs(),
                    dynamicAxes.axes(spec.commandLine()), validation.validate(),
                    validation.tolerance(spec.commandLine()), externalData.policy(), externalData.thresholdBytes());
            return render(result);
        }
        ConvertOptions options = new ConvertOptions(externalData.policy(), externalData.thresholdBytes(),
                validation.validate(), validation.tolerance(spec.commandLine()), inputShapes.shapes(), 0, opset);
        ConversionResult result = new OnnxConverter(limitOptions.limits()).convert(model, target, options);
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), ConvertRender.json(result));
        } else {
            ConvertRender.text(result, spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    /** The planned chain: export, optimize, quantize, validate on the targets, profile; one model or a batch. */
    private int planned() throws Exception {
        CommandLine cmd = spec.commandLine();
        if (arch != null || listOps) {
            throw new CommandLine.ParameterException(cmd, (arch != null ? "--arch" : "--list-ops") + " takes one "
                    + "model and none of the planned-conversion options (--optimize, --quantize, --target, --max-*, "
                    + "--report, --dry-run, --no-cache)");
        }
        if (to == null || !to.equalsIgnoreCase("onnx")) {
            throw new CommandLine.ParameterException(cmd, to == null ? "missing --to FORMAT (accepted: onnx)"
                    : "--to '" + to + "' is not supported (accepted: onnx)");
        }
        boolean batch = models.size() > 1;
        if (batch && out != null && (java.nio.file.Files.isRegularFile(out)
                || out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx"))) {
            throw new CommandLine.ParameterException(cmd, "with several models -o names a folder, not a file: "
                    + out);
        }
        ConvertSettings settings = settings();
        java.util.List<io.mconv.agent.pipeline.ConvertRequest> requests = new java.util.ArrayList<>();
        for (Path m : models) {
            Path target = !batch ? (out != null ? out : defaultOutput(m))
                    : out != null ? out.resolve(defaultOutput(m).getFileName()) : defaultOutput(m);
            requests.add(settings.requestFor(m, target));
        }
        if (batch && out != null && !agent.dryRun()) {
            java.nio.file.Files.createDirectories(out);
        }
        io.mconv.agent.pipeline.ConversionAgent conversion = new io.mconv.agent.pipeline.ConversionAgent(
                new io.mconv.agent.pipeline.Planner(io.mconv.agent.runtime.ort.ExecutionProvider.available()),
                limitOptions.limits());
        PlannedConvert planned = new PlannedConvert(conversion, CacheLocation.resolve(agent.cacheDir(),
                System.getenv(), System.getProperty("user.home")), agent.noCache(), output.json(), output.verbose(),
                MconvCommand.terminal(spec, output.json()).showProgress());
        try {
            if (agent.dryRun()) {
                return planned.dryRun(requests, cmd.getOut());
            }
            if (batch) {
                return new BatchConvert(planned, output.json()).run(requests, agent.report(), cmd.getOut(),
                        cmd.getErr());
            }
            return planned.convertOne(requests.get(0), agent.report(), cmd.getOut(), cmd.getErr());
        } catch (io.mconv.agent.InvalidOptionException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
    }

    private ConvertSettings settings() {
        CommandLine cmd = spec.commandLine();
        return new ConvertSettings(opset, inputShapes.specs(), dynamicAxes.axes(cmd), agent.optimize(cmd),
                agent.quantize(cmd), agent.calibration(), agent.targets(cmd), validation.validate(),
                validation.tolerance(cmd), agent.constraints(cmd), externalData.policy(),
                externalData.thresholdBytes(), new VersionProvider().getVersion()[0]);
    }

    private void refuseOptionsThatDoNotFitArch(boolean torch) {
        String why = null;
        if (!torch) {
            why = "--arch describes the layers of a PyTorch state_dict (.pt); an ONNX model has its own graph";
        } else if (listOps) {
            why = "--list-ops lists a TorchScript file's operators; a state_dict with --arch has none";
        } else if (!dynamicAxes.axes(spec.commandLine()).isEmpty()) {
            why = "--dynamic-axes does not apply with --arch: the batch axis is already symbolic ('batch'); fix it "
                    + "with --input-shape input:NxD0";
        }
        if (why != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), why);
        }
    }

    private int render(TorchExportResult result) {
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), TorchExportRender.json(result));
        } else {
            TorchExportRender.text(result, spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    private static Path defaultOutput(Path source) {
        return ConvertSettings.defaultOutput(source);
    }
}
