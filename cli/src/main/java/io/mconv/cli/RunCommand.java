package io.mconv.cli;

import io.mconv.agent.pipeline.ConversionAgent;
import io.mconv.agent.pipeline.Planner;
import io.mconv.agent.pipeline.workflow.Workflow;
import io.mconv.agent.pipeline.workflow.WorkflowFile;
import io.mconv.agent.pipeline.workflow.WorkflowStep;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.cli.options.OutputOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import io.mconv.cli.options.LimitOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mconv run WORKFLOW.json|yaml}: the conversions a CI job keeps in its repository, run in order. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the conversions a workflow file declares (JSON, or YAML with the same structure), in "
                + "order: each step is what 'mconv convert' does for the same options, keys spelt in snake_case "
                + "(max_accuracy_drop for --max-accuracy-drop); relative paths are relative to the workflow file. "
                + "Stops at the first failing step unless the file says \"continue_on_error\": true.",
        footerHeading = "%nExamples:%n",
        footer = {"  mconv run workflow.json",
                "  mconv run workflow.yaml --dry-run          # every step's plan; nothing runs or is written",
                "  mconv run workflow.json --json > run.json   # mconv.run/1 with each step's convert report",
                "",
                "A workflow file:",
                "  {\"schema\": \"mconv.workflow/1\",",
                "   \"defaults\": {\"optimize\": \"basic\", \"target\": [\"cpu\"]},",
                "   \"steps\": [{\"source\": \"models/cnn.pt\", \"output\": \"out/cnn.int8.onnx\", \"quantize\": \"int8\",",
                "               \"input_shape\": [\"x:1x3x224x224\"], \"max_accuracy_drop\": 0.01,"
                        + " \"report\": \"out/cnn.json\"}]}",
                "",
                "Exit codes: the worst of the steps run (0 ok, 1 validation mismatch or constraint missed, 3 invalid "
                        + "input, 4 internal error); 2 for a usage error, a bad workflow file included (the message "
                        + "names the key, e.g. /steps/0/quantize)"})
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "WORKFLOW", description = "The workflow file (.json, .yaml or .yml).")
    Path workflow;

    @Option(names = "--dry-run", description = "Print every step's plan (steps and options) and exit without "
            + "running any.")
    boolean dryRun;

    @Option(names = "--no-cache", description = "Neither read nor write the step cache.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "The step cache (default: $MCONV_CACHE_DIR, "
            + "else $XDG_CACHE_HOME/mconv, else ~/.cache/mconv).")
    Path cacheDir;

    @Mixin
    LimitOptions limitOptions;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        Workflow declared = new WorkflowFile(new VersionProvider().getVersion()[0]).read(workflow);
        ConversionAgent agent = new ConversionAgent(new Planner(ExecutionProvider.available()),
                limitOptions.limits());
        PlannedConvert planned = new PlannedConvert(agent, CacheLocation.resolve(cacheDir, System.getenv(),
                System.getProperty("user.home")), noCache, output.json(), output.verbose(),
                MconvCommand.terminal(spec, output.json()).showProgress());
        if (dryRun) {
            return planned.dryRun("run.plan", declared.steps().stream().map(WorkflowStep::request).toList(),
                    cmd.getOut());
        }
        return new WorkflowRun(planned, output.json()).run(declared, cmd.getOut(), cmd.getErr());
    }
}
