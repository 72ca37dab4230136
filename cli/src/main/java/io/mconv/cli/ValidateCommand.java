package io.mconv.cli;

import io.mconv.agent.runtime.RuntimeIsolation;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.runtime.ort.ProviderUnavailableException;
import io.mconv.agent.validation.SourceValidation;
import io.mconv.agent.validation.SourceValidator;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.IsolationOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.ValidateRender;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv validate SOURCE TARGET}: does the ONNX target compute what its source computes? */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = "Run a source model (TorchScript .pt in libtorch, or .onnx in ONNX Runtime) and its ONNX export "
                + "on the same inputs and compare every output: max absolute and relative error, worst index, "
                + "cosine similarity.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv validate model.pt model.onnx",
                "  mconv validate model.pt model.onnx --inputs test_data_set_0 --json",
                "  mconv validate model.onnx model.opt.onnx --atol 1e-5 --rtol 1e-4",
                "",
                "Exit codes: 0 outputs match, 1 they do not (or a runtime refused to run), 2 usage error, "
                        + "3 unreadable input, 4 a runtime crashed or did not finish within --runtime-timeout."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The reference: a TorchScript file (.pt) or an "
            + "ONNX model.")
    Path source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The ONNX model to check.")
    Path target;

    @Option(names = "--provider", paramLabel = "P,...", defaultValue = "cpu", description = "ONNX Runtime execution "
            + "providers in priority order (libtorch always runs on cpu). Default: ${DEFAULT-VALUE}.")
    String providers;

    @Option(names = "--inputs", paramLabel = "DIR", description = "Feed input_0.pb, input_1.pb, ... (TensorProto "
            + "files, one per input of TARGET) instead of seeded random data.")
    Path inputsDir;

    @Option(names = "--atol", paramLabel = "X", description = "Absolute tolerance (default: float32 1e-4 against "
            + "TorchScript, 1e-5 between ONNX models; other types per precision).")
    Double atol;

    @Option(names = "--rtol", paramLabel = "X", description = "Relative tolerance (default: float32 1e-3 against "
            + "TorchScript, 1e-4 between ONNX models).")
    Double rtol;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    InputShapeOptions inputShapes;

    @Mixin
    OutputOptions output;

    @Mixin
    IsolationOptions isolation;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<ExecutionProvider> providerList;
        try {
            providerList = ExecutionProvider.parseList(providers);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        RuntimeIsolation runtimeIsolation = isolation.isolation(System.getenv());
        SourceValidator.Options options = SourceValidator.Options.defaults()
                .withProviders(providerList)
                .withInputShapes(inputShapes.shapes())
                .withInputsDir(inputsDir)
                .withTolerance(tolerance())
                .withIsolation(runtimeIsolation);
        if (isolation.runtimeTimeout() != null) {
            // libtorch always runs in a worker: the same run timeout and startup allowance as an isolated ORT
            options = options.withTorch(options.torch().withRunTimeout(runtimeIsolation.runTimeout())
                    .withStartupTimeout(runtimeIsolation.startupTimeout()));
        }
        SourceValidation result;
        try {
            result = new SourceValidator(options, limitOptions.limits()).validate(source, target);
        } catch (ProviderUnavailableException e) {
            throw new UsageException(e.getMessage());
        }
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), ValidateRender.json(result));
        } else {
            ValidateRender.text(result, spec.commandLine().getOut());
        }
        return result.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    /** The tolerance asked for, or null for the defaults; one of the two alone keeps the float32 default of the other. */
    private Tolerance tolerance() {
        if ((atol != null && !(atol >= 0)) || (rtol != null && !(rtol >= 0))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--atol and --rtol must be 0 or more");
        }
        if (atol == null && rtol == null) {
            return null;
        }
        Tolerance base = SourceValidator.FP32_ACROSS_RUNTIMES;
        return Tolerance.of(atol == null ? base.atol() : atol, rtol == null ? base.rtol() : rtol);
    }
}
