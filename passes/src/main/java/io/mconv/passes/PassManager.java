package io.mconv.passes;

import io.mconv.ir.Graph;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an ordered list of passes over a model until none changes anything (a fixed point) or a step cap is hit.
 * Records each pass's rewrites and time; with {@code verifyEach}, runs the IR verifier after every pass. A pass
 * that throws or breaks the IR is reported by name with the passes that ran before it.
 */
public final class PassManager {

    /** Rounds over the whole list before giving up on a fixed point (a pass pair that undoes each other). */
    public static final int DEFAULT_MAX_ITERATIONS = 10;

    private final List<Pass> passes;
    private final int maxIterations;

    public PassManager(List<Pass> passes) {
        this(passes, DEFAULT_MAX_ITERATIONS);
    }

    public PassManager(List<Pass> passes, int maxIterations) {
        this.passes = List.copyOf(passes);
        this.maxIterations = maxIterations;
    }

    public PassReport run(Model model, PassContext context) {
        Map<String, PassStats> stats = new LinkedHashMap<>();
        for (Pass p : passes) {
            stats.put(p.name(), new PassStats(p.name(), 0, 0, 0));
        }
        List<String> diagnostics = new ArrayList<>();
        List<RuleSkip> skips = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        int nodesBefore = Graphs.nodeCount(model);
        Map<String, Integer> opsBefore = histogram(model);
        int iteration = 0;
        boolean changed = true;
        while (changed && iteration < maxIterations) {
            changed = false;
            iteration++;
            for (Pass p : passes) {
                long t0 = System.nanoTime();
                PassResult r;
                try {
                    r = p.run(model, context);
                } catch (RuntimeException e) {
                    throw new PassFailedException(p.name(), distinct(ran), e.toString(), e);
                }
                long elapsed = System.nanoTime() - t0;
                stats.put(p.name(), stats.get(p.name()).plus(r, elapsed));
                diagnostics.addAll(r.notes());
                skips.addAll(r.skips());
                ran.add(p.name());
                if (context.verifyEach() && r.modified()) {
                    List<String> problems = GraphVerifier.check(model);
                    if (!problems.isEmpty()) {
                        throw new PassFailedException(p.name(), distinct(ran.subList(0, ran.size() - 1)),
                                "the IR verifier found " + problems.size() + " problem(s): " + problems.get(0), null);
                    }
                }
                changed |= r.modified();
            }
        }
        diagnostics.addAll(RuleSkip.summarize(skips));
        return new PassReport(new ArrayList<>(stats.values()), iteration, !changed, nodesBefore,
                Graphs.nodeCount(model), opsBefore, histogram(model), diagnostics);
    }

    private static List<String> distinct(List<String> names) {
        return names.stream().distinct().toList();
    }

    /** Op types over the main graph and subgraphs, sorted by name. */
    public static Map<String, Integer> histogram(Model model) {
        Map<String, Integer> out = new TreeMap<>();
        for (Graph g : Graphs.all(model)) {
            for (Node n : g) {
                out.merge(n.isDefaultDomain() ? n.opType() : n.domain() + "::" + n.opType(), 1, Integer::sum);
            }
        }
        return out;
    }
}
