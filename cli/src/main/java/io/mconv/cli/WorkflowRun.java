package io.mconv.cli;

import io.mconv.agent.pipeline.ConversionOutcome;
import io.mconv.agent.pipeline.workflow.Workflow;
import io.mconv.agent.pipeline.workflow.WorkflowStep;
import io.mconv.cli.render.ConvertReportRender;
import io.mconv.cli.render.Json;
import io.mconv.onnx.io.ReadableFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a workflow's steps one after another (in order: a later step may read an earlier one's output), printing each
 * step's report as {@code mconv convert} does and then a summary, or one {@code mconv.run/1} document. The exit code
 * is the worst of the steps that ran.
 */
final class WorkflowRun {

    private final PlannedConvert planned;
    private final boolean json;

    WorkflowRun(PlannedConvert planned, boolean json) {
        this.planned = planned;
        this.json = json;
    }

    int run(Workflow workflow, PrintWriter out, PrintWriter err) {
        List<BatchConvert.Item> items = new ArrayList<>();
        int total = workflow.steps().size();
        for (WorkflowStep step : workflow.steps()) {
            if (!json) {
                out.printf("Step %d/%d: %s -> %s%n", step.index() + 1, total, step.request().source(),
                        step.request().output());
                out.flush();
            }
            BatchConvert.Item item = runStep(step, err);
            items.add(item);
            if (!json) {
                if (item.outcome() != null) {
                    planned.printText(item.outcome(), out);
                }
                out.println();
            }
            if (item.error() != null) {
                err.println("mconv: error: step " + (step.index() + 1) + ": " + item.error());
                err.flush();
            }
            if (item.exitCode() != ExitCodes.OK && !workflow.continueOnError() && items.size() < total) {
                err.println("mconv: stopped after step " + (step.index() + 1) + " of " + total
                        + " (set \"continue_on_error\": true in the workflow to run the rest)");
                err.flush();
                break;
            }
        }
        int worst = items.stream().mapToInt(BatchConvert.Item::exitCode).max().orElse(ExitCodes.OK);
        if (json) {
            new Json().print(out, json(workflow, items, worst));
        } else {
            out.println("Summary (" + workflow.file() + "):");
            BatchConvert.table(items, out);
            if (items.size() < total) {
                out.printf("%d step(s) not run%n", total - items.size());
            }
            out.flush();
        }
        return worst;
    }

    private BatchConvert.Item runStep(WorkflowStep step, PrintWriter err) {
        Path source = step.request().source();
        try {
            // the exit code convert gives a source it cannot read (3), before an output folder is created for it
            ReadableFile.require(source, "a model file");
            // A CI job's workflow names output folders that a fresh checkout does not have yet.
            Path parent = step.request().output().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ConversionOutcome outcome = planned.convertWithReport(step.request(), step.report(), err);
            return BatchConvert.finished(source, outcome);
        } catch (IOException | RuntimeException e) {
            return BatchConvert.failed(source, e);
        }
    }

    private static Map<String, Object> json(Workflow workflow, List<BatchConvert.Item> items, int worst) {
        Map<String, Object> doc = Json.document("run");
        doc.put("workflow", workflow.file().toString());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (WorkflowStep step : workflow.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("index", step.index());
            s.put("source", step.request().source().toString());
            s.put("output", step.request().output().toString());
            if (step.index() < items.size()) {
                BatchConvert.Item item = items.get(step.index());
                s.put("status", item.outcome() == null ? "failed" : item.exitCode() == 0 ? "ok" : "missed");
                s.put("exit_code", item.exitCode());
                s.put("error", item.error());
                s.put("report", item.outcome() == null ? null : ConvertReportRender.json(item.outcome().report()));
            } else {
                s.put("status", "not_run");
                s.put("exit_code", null);
                s.put("error", null);
                s.put("report", null);
            }
            steps.add(s);
        }
        doc.put("steps", steps);
        doc.put("exit_code", worst);
        return doc;
    }
}
