package io.mconv.cli;

import io.mconv.cli.options.OutputOptions;
import io.mconv.cli.render.Json;
import io.mconv.passes.Pass;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.Target;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mconv passes}: every optimizer pass, in the order they run, with level and targets. */
@Command(name = "passes", mixinStandardHelpOptions = true,
        description = "List the optimizer passes in the order they run, with the level and targets of each.",
        footerHeading = "%nExamples:%n", footer = {"  mconv passes", "  mconv passes --json"})
final class PassesCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Pass> passes = PassRegistry.standard().all();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> doc = Json.document("passes");
            List<Map<String, Object>> list = new ArrayList<>();
            for (Pass p : passes) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", p.name());
                e.put("level", p.level().toString());
                e.put("targets", p.targets().stream().map(Target::toString).sorted().toList());
                e.put("description", p.description());
                list.add(e);
            }
            doc.put("passes", list);
            new Json().print(out, doc);
            return ExitCodes.OK;
        }
        int width = passes.stream().mapToInt(p -> p.name().length()).max().orElse(4);
        out.printf(Locale.ROOT, "%-" + width + "s  %-10s  %-13s  %s%n", "PASS", "LEVEL", "TARGETS", "WHAT");
        for (Pass p : passes) {
            String targets = p.targets().size() == Target.values().length ? "all" : p.targets().stream()
                    .map(Target::toString).sorted().reduce((a, b) -> a + "," + b).orElse("");
            out.printf(Locale.ROOT, "%-" + width + "s  %-10s  %-13s  %s%n", p.name(), p.level(), targets,
                    p.description());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
