package io.mconv.cli;

import io.mconv.agent.pipeline.ConversionOutcome;
import io.mconv.agent.pipeline.ConvertRequest;
import io.mconv.agent.pipeline.PlanListener;
import io.mconv.cli.render.ConvertReportRender;
import io.mconv.cli.render.Json;
import io.mconv.cli.render.Units;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code mconv convert a.pt b.pt ... --to onnx}: converts the models in parallel (at most one per core), prints a
 * summary table (or one JSON document), and exits with the worst code of all, so a CI farm sees any failure.
 */
final class BatchConvert {

    /** One model's outcome: the report, or the error that stopped it and its exit code. */
    record Item(Path source, ConversionOutcome outcome, int exitCode, String error) {
    }

    private final PlannedConvert planned;
    private final boolean json;

    BatchConvert(PlannedConvert planned, boolean json) {
        this.planned = planned;
        this.json = json;
    }

    int run(List<ConvertRequest> requests, Path reportFile, PrintWriter out, PrintWriter err) throws Exception {
        int threads = Math.max(1, Math.min(requests.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Item> items = new ArrayList<>();
        try {
            List<Future<Item>> futures = new ArrayList<>();
            for (ConvertRequest r : requests) {
                futures.add(pool.submit(() -> convert(r)));
            }
            for (Future<Item> f : futures) {
                items.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        int worst = items.stream().mapToInt(Item::exitCode).max().orElse(ExitCodes.OK);
        Map<String, Object> doc = json(items, worst);
        if (reportFile != null) {
            PlannedConvert.writeReport(reportFile, doc);
        }
        if (json) {
            new Json().print(out, doc);
        } else {
            table(items, out);
        }
        for (Item i : items) {
            if (i.error() != null) {
                err.println("mconv: error: " + i.error());
            }
        }
        err.flush();
        return worst;
    }

    private Item convert(ConvertRequest r) {
        try {
            return finished(r.source(), planned.convert(r, PlanListener.NONE));
        } catch (Exception e) {
            return failed(r.source(), e);
        }
    }

    /** A conversion that ran: ok, or exit 1 with the missed constraints as its error. */
    static Item finished(Path source, ConversionOutcome o) {
        if (!o.written()) {
            StringWriter why = new StringWriter();
            PlannedConvert.reportMisses(o, new PrintWriter(why));
            return new Item(source, o, ExitCodes.CHECK_FAILED, why.toString().replace("mconv: error: ", "").strip());
        }
        return new Item(source, o, ExitCodes.OK, null);
    }

    /** A conversion that stopped: the exit code convert would have ended with. */
    static Item failed(Path source, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Item(source, null, ErrorReporter.exitCodeFor(e), message);
    }

    private static Map<String, Object> json(List<Item> items, int worst) {
        Map<String, Object> doc = Json.document("convert");
        List<Map<String, Object>> models = new ArrayList<>();
        for (Item i : items) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", i.source().toString());
            m.put("exit_code", i.exitCode());
            m.put("error", i.error());
            m.put("report", i.outcome() == null ? null : ConvertReportRender.body(i.outcome().report()));
            models.add(m);
        }
        doc.put("models", models);
        doc.put("exit_code", worst);
        return doc;
    }

    static void table(List<Item> items, PrintWriter out) {
        out.printf("%-32s %-6s %4s %10s %10s %8s %10s %8s%n", "MODEL", "STATUS", "EXIT", "SOURCE", "RESULT",
                "SPEEDUP", "ACC.DROP", "TIME");
        for (Item i : items) {
            String name = i.source().getFileName().toString();
            if (i.outcome() == null) {
                out.printf("%-32s %-6s %4d %10s %10s %8s %10s %8s%n", name, "failed", i.exitCode(), "-", "-", "-", "-",
                        "-");
                continue;
            }
            var r = i.outcome().report();
            out.printf(Locale.ROOT, "%-32s %-6s %4d %10s %10s %8s %10s %7.1fs%n", name,
                    i.exitCode() == 0 ? "ok" : "missed", i.exitCode(), Units.bytes(r.sourceBytes()),
                    Units.bytes(r.targetBytes()), Double.isNaN(r.speedup()) ? "-"
                            : String.format(Locale.ROOT, "%.2fx", r.speedup()),
                    Double.isNaN(r.accuracyDrop()) ? "-" : String.format(Locale.ROOT, "%.2e", r.accuracyDrop()),
                    r.conversionMs() / 1e3);
        }
        long ok = items.stream().filter(i -> i.exitCode() == 0).count();
        out.printf("%d of %d converted%n", ok, items.size());
        out.flush();
    }
}
