package io.mconv.cli;

import io.mconv.agent.profile.ModelProfile;
import io.mconv.agent.profile.ProfileListener;
import io.mconv.agent.profile.ProfileOptions;
import io.mconv.agent.profile.Profiler;
import io.mconv.agent.profile.RunBudget;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.runtime.ort.ProviderUnavailableException;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.InputShapeOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.options.TimeSpan;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.ProfileCsv;
import io.mconv.cli.render.ProfileHtml;
import io.mconv.cli.render.ProfileJson;
import io.mconv.cli.render.ProfileProgress;
import io.mconv.cli.render.ProfileReportFile;
import io.mconv.cli.render.ProfileText;
import io.mconv.cli.render.Terminal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv profile MODEL...}: how fast the models run here, in ONNX Runtime, side by side. */
@Command(name = "profile",
        mixinStandardHelpOptions = true,
        description = "Measure models in ONNX Runtime: session creation, first inference, latency percentiles, "
                + "throughput per batch size, memory, per-op time and achieved GFLOP/s. Several models are compared "
                + "with the first.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv profile model.onnx",
                "  mconv profile model.onnx model.opt.onnx model.int8.onnx --duration 10s",
                "  mconv profile model.onnx --batch 1,8,32 --threads 4 --html report.html",
                "  mconv profile model.onnx --json | jq '.models[0].latency_ms.p95'"})
final class ProfileCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "ONNX model files; the first is the baseline "
            + "of the speedups.")
    List<Path> models;

    @Option(names = "--provider", paramLabel = "P[,P...]", defaultValue = "cpu", description = "Execution "
            + "providers in priority order: cpu, cuda, tensorrt, openvino, ... (default: ${DEFAULT-VALUE}). A "
            + "provider this build lacks falls back to cpu with a warning.")
    String provider;

    @Option(names = "--strict-provider", description = "Fail (exit 1) instead of falling back to cpu.")
    boolean strictProvider;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "ORT intra-op threads "
            + "(default: 0, ORT's choice).")
    int threads;

    @Option(names = "--batch", paramLabel = "N[,N...]", split = ",", description = "Batch sizes to measure; each "
            + "sets the symbolic first dimension of the inputs that have one.")
    List<Integer> batches = List.of();

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Untimed runs before each "
            + "timing loop (default: ${DEFAULT-VALUE}); unless 0, they go on for at least 0.5 s so the JVM has "
            + "compiled its side of the call.")
    int warmup;

    @ArgGroup(exclusive = true)
    Budget budget;

    static final class Budget {
        @Option(names = "--iterations", paramLabel = "N", required = true, description = "Timed runs per batch "
                + "size (default: 100).")
        Integer iterations;

        @Option(names = "--duration", paramLabel = "TIME", required = true, converter = TimeSpan.Converter.class,
                description = "Run each timing loop this long instead: 500ms, 10s, 2m.")
        Duration duration;
    }

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    InputShapeOptions inputShapes;

    @Option(names = "--inputs", paramLabel = "DIR", description = "Feed input_0.pb, input_1.pb, ... (TensorProto "
            + "files) instead of seeded random inputs.")
    Path inputsDir;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the random inputs "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--op-profile-runs", paramLabel = "N", defaultValue = "10", description = "Runs of the "
            + "separate per-op profiling session; 0 skips it (default: ${DEFAULT-VALUE}).")
    int opProfileRuns;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Slowest nodes to list "
            + "(default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write one CSV row per model and batch size.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with "
            + "charts.")
    Path html;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ProfileOptions options = options();
        Terminal terminal = MconvCommand.terminal(spec, output.json());
        ProfileProgress progress = terminal.showProgress()
                ? new ProfileProgress(spec.commandLine().getErr(), terminal.err()) : null;
        ProfileListener listener = progress == null ? ProfileListener.NONE : progress;
        List<ModelProfile> results = new ArrayList<>();
        try {
            Profiler profiler = new Profiler(options, listener, limitOptions.limits());
            for (Path model : models) {
                results.add(profiler.profile(model));
            }
        } catch (ProviderUnavailableException e) {
            throw new CheckFailedException(e.getMessage() + " (--strict-provider)");
        } catch (RuntimeFailureException e) {
            throw new CheckFailedException(e.getMessage());
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
        for (ModelProfile r : results) {
            r.allWarnings().forEach(w -> spec.commandLine().getErr().println("mconv: warning: " + r.name() + ": "
                    + w));
        }
        spec.commandLine().getErr().flush();
        if (csv != null) {
            ProfileReportFile.write(csv, ProfileCsv.render(results), models);
        }
        if (html != null) {
            ProfileReportFile.write(html, ProfileHtml.render(results, options), models);
        }
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), ProfileJson.render(results, options));
        } else {
            ProfileText.render(results, spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    private ProfileOptions options() {
        CommandLine cl = spec.commandLine();
        List<ExecutionProvider> providers;
        try {
            providers = ExecutionProvider.parseList(provider);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--provider: " + e.getMessage());
        }
        if (providers.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--provider '" + provider + "' names no provider");
        }
        requireAtLeast("--threads", threads, 0);
        requireAtLeast("--warmup", warmup, 0);
        requireAtLeast("--op-profile-runs", opProfileRuns, 0);
        requireAtLeast("--top", top, 0);
        for (Integer b : batches) {
            requireAtLeast("--batch", b, 1);
        }
        if (batches.size() != batches.stream().distinct().count()) {
            throw new CommandLine.ParameterException(cl, "--batch " + batches + " repeats a batch size");
        }
        RunBudget runBudget = RunBudget.iterations(100);
        if (budget != null && budget.iterations != null) {
            requireAtLeast("--iterations", budget.iterations, 1);
            runBudget = RunBudget.iterations(budget.iterations);
        } else if (budget != null && budget.duration != null) {
            runBudget = RunBudget.duration(budget.duration);
        }
        return new ProfileOptions(providers, strictProvider, threads, batches, warmup, runBudget,
                inputShapes.shapes(), inputsDir, seed, opProfileRuns, top);
    }

    private void requireAtLeast(String option, int value, int min) {
        if (value < min) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be " + min + " or more, not "
                    + value);
        }
    }
}
