package io.mconv.cli;

import io.mconv.agent.check.CheckReport;
import io.mconv.agent.check.CheckTarget;
import io.mconv.agent.check.CheckVerifier;
import io.mconv.agent.check.CompatibilityChecker;
import io.mconv.agent.check.TargetReport;
import io.mconv.cli.options.LimitOptions;
import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.render.CheckJson;
import io.mconv.cli.render.CheckText;
import io.mconv.cli.render.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv check MODEL}: will this model run on that runtime? Exit 1 when a requested target can't run it. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = "Predict, per runtime target, whether the model runs, runs with some nodes falling back to "
                + "the CPU provider, or won't run, with the reasons (operator, opset, data type, IR version, size, "
                + "dynamic shapes). --verify also creates a session on the targets available here.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv check model.onnx",
                "  mconv check model.onnx --target cpu,cuda,tensorrt,coreml",
                "  mconv check model.onnx --target cpu --verify --json",
                "%nExit codes: 0 every requested target runs the model (possibly with CPU fallback), 1 a target "
                        + "won't run it, 2 usage, 3 unreadable or invalid model."})
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model file.")
    Path model;

    @Option(names = "--target", paramLabel = "T,...", defaultValue = "cpu",
            description = "Targets to check, comma-separated: cpu, cuda, tensorrt, directml, coreml, webgpu, wasm "
                    + "(default: ${DEFAULT-VALUE}).")
    String targets;

    @Option(names = "--verify", description = "Also create a session on each target available in this process and "
            + "run it once on random inputs, and show prediction against what happened.")
    boolean verify;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<CheckTarget> requested;
        try {
            requested = CheckTarget.parseList(targets);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--target: " + e.getMessage());
        }
        CheckReport report = new CompatibilityChecker(limitOptions.limits()).check(model, requested);
        if (verify) {
            report = verified(report);
        }
        if (output.json()) {
            new Json().print(spec.commandLine().getOut(), CheckJson.render(report));
        } else {
            CheckText.render(report, spec.commandLine().getOut());
        }
        return report.anyTargetWontRun() ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }

    private CheckReport verified(CheckReport report) {
        CheckVerifier verifier = new CheckVerifier();
        List<TargetReport> out = new ArrayList<>();
        for (TargetReport t : report.targets()) {
            out.add(t.withVerification(verifier.verify(model, t.target())));
        }
        return new CheckReport(report.model(), report.irVersion(), report.opsets(), report.nodes(), out);
    }
}
