package io.mconv.cli;

import io.mconv.agent.pipeline.ArtifactCache;
import io.mconv.agent.pipeline.ConstraintCheck;
import io.mconv.agent.pipeline.ConversionAgent;
import io.mconv.agent.pipeline.ConversionOutcome;
import io.mconv.agent.pipeline.ConvertRequest;
import io.mconv.agent.pipeline.Plan;
import io.mconv.agent.pipeline.PlanListener;
import io.mconv.agent.pipeline.ScratchStore;
import io.mconv.agent.pipeline.StepStore;
import io.mconv.cli.render.ConvertPlanRender;
import io.mconv.cli.render.ConvertReportRender;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.PlanProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The planned side of {@code mconv convert} for one model: dry run, or run the chain through the cache, write the
 * report, and turn a missed constraint into exit code 1 with each missed figure on standard error.
 */
final class PlannedConvert {

    private final ConversionAgent agent;
    private final CacheLocation cache;
    private final boolean noCache;
    private final boolean json;
    private final boolean verbose;
    private final boolean showProgress;

    /** @param showProgress step lines on standard error: a terminal, and not --json */
    PlannedConvert(ConversionAgent agent, CacheLocation cache, boolean noCache, boolean json, boolean verbose,
                   boolean showProgress) {
        this.verbose = verbose;
        this.showProgress = showProgress;
        this.agent = agent;
        this.cache = cache;
        this.noCache = noCache;
        this.json = json;
    }

    int dryRun(List<ConvertRequest> requests, PrintWriter out) {
        return dryRun("convert.plan", requests, out);
    }

    /** @param schemaName the JSON document's schema name (convert's and run's plans differ only in it) */
    int dryRun(String schemaName, List<ConvertRequest> requests, PrintWriter out) {
        List<Plan> plans = requests.stream().map(agent::plan).toList();
        if (json) {
            new Json().print(out, ConvertPlanRender.json(schemaName, plans));
        } else {
            ConvertPlanRender.text(plans, out);
        }
        return ExitCodes.OK;
    }

    /** Converts one model, printing its report; returns the exit code (0, or 1 for a missed constraint). */
    int convertOne(ConvertRequest request, Path reportFile, PrintWriter out, PrintWriter err) throws IOException {
        ConversionOutcome outcome = convertWithReport(request, reportFile, err);
        if (json) {
            new Json().print(out, ConvertReportRender.json(outcome.report()));
        } else {
            printText(outcome, out);
        }
        return reportMisses(outcome, err);
    }

    /** Converts with progress on standard error (when shown), writing the report file when one is asked for. */
    ConversionOutcome convertWithReport(ConvertRequest request, Path reportFile, PrintWriter err)
            throws IOException {
        PlanListener progress = showProgress ? new PlanProgress(err, "") : PlanListener.NONE;
        ConversionOutcome outcome = convert(request, progress);
        if (reportFile != null) {
            writeReport(reportFile, ConvertReportRender.json(outcome.report()));
        }
        return outcome;
    }

    void printText(ConversionOutcome outcome, PrintWriter out) {
        ConvertReportRender.text(outcome.report(), verbose, out);
    }

    ConversionOutcome convert(ConvertRequest request, PlanListener listener) throws IOException {
        try (StepStore store = store()) {
            return agent.convert(request, store, listener);
        }
    }

    private StepStore store() throws IOException {
        return noCache ? new ScratchStore() : new ArtifactCache(cache.dir(), cache.maxBytes());
    }

    static int reportMisses(ConversionOutcome outcome, PrintWriter err) {
        if (outcome.written()) {
            return ExitCodes.OK;
        }
        err.println("mconv: error: " + outcome.plan().source() + ": the result misses "
                + outcome.report().missed().size() + " constraint(s); nothing was written");
        for (ConstraintCheck c : outcome.report().missed()) {
            err.println("  " + c.describe());
        }
        err.flush();
        return ExitCodes.CHECK_FAILED;
    }

    static void writeReport(Path file, Map<String, Object> doc) throws IOException {
        StringWriter text = new StringWriter();
        new Json().print(new PrintWriter(text), doc);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text.toString());
    }
}
