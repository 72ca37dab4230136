package io.mconv.agent.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The result of checking one model against several targets.
 *
 * @param model      the model file
 * @param irVersion  the model's IR version (0 when the file has none)
 * @param opsets     the model's opset imports, canonical domain names
 * @param nodes      nodes checked, subgraphs included
 * @param targets    one report per requested target, in the order asked
 */
public record CheckReport(Path model, long irVersion, Map<String, Integer> opsets, int nodes,
                          List<TargetReport> targets) {

    public CheckReport {
        opsets = Map.copyOf(opsets);
        targets = List.copyOf(targets);
    }

    /** True when at least one requested target cannot run the model (the command's exit 1). */
    public boolean anyTargetWontRun() {
        return targets.stream().anyMatch(t -> t.verdict() == Verdict.WONT_RUN);
    }
}
