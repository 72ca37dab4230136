package io.mconv.passes.rewrite;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.RuleSkip;
import io.mconv.passes.Target;
import io.mconv.shape.ShapeInference;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A pass made of rewrite rules: walks every graph (subgraphs and function bodies included) in order, offers each
 * node to the rules whose root op types it has, and rewrites where a check succeeds. A check's near miss is kept as a
 * {@link RuleSkip}; a node that is not the pattern at all leaves nothing.
 */
public class RewriteRulePass implements Pass {

    private final String name;
    private final String description;
    private final OptimizationLevel level;
    private final Set<Target> targets;
    private final List<RewriteRule<?>> rules;

    public RewriteRulePass(String name, String description, OptimizationLevel level, List<RewriteRule<?>> rules) {
        this(name, description, level, EnumSet.allOf(Target.class), rules);
    }

    public RewriteRulePass(String name, String description, OptimizationLevel level, Set<Target> targets,
                           List<RewriteRule<?>> rules) {
        this.name = name;
        this.description = description;
        this.level = level;
        this.targets = Set.copyOf(targets);
        this.rules = List.copyOf(rules);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public OptimizationLevel level() {
        return level;
    }

    @Override
    public Set<Target> targets() {
        return targets;
    }

    /**
     * Whether the rules ask for shapes or element types: then shape inference types the model (with the user's
     * {@code --input-shape}s) before each sweep.
     */
    protected boolean needsShapes() {
        return false;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        if (needsShapes()) {
            ShapeInference.infer(model, context.inputShapes());
        }
        int rewrites = 0;
        List<RuleSkip> skips = new ArrayList<>();
        for (Graph g : Graphs.all(model)) {
            RuleContext ctx = new RuleContext(context, g);
            // A snapshot: a rewrite may remove nodes after its root, which would cut a live walk short. Nodes a
            // rewrite adds are seen on the pass manager's next round.
            for (Node n : g.nodes()) {
                if (n.graph() != g) {
                    continue; // removed by an earlier rewrite in this sweep
                }
                for (RewriteRule<?> rule : rules) {
                    if (rule.rootOpTypes().contains(key(n))) {
                        if (apply(rule, n, ctx, g, skips)) {
                            rewrites++;
                            break;
                        }
                    }
                }
            }
        }
        return new PassResult(rewrites, List.of(), skips);
    }

    /** Applies {@code rule} at {@code n} when its check succeeds; a near miss goes into {@code skips}. */
    public static <M> boolean apply(RewriteRule<M> rule, Node n, RuleContext ctx, Graph g, List<RuleSkip> skips) {
        Check<M> check = rule.check(n, ctx);
        if (check instanceof Check.Ok<M> ok) {
            rule.rewrite(ok.match(), new Rewriter(g, n));
            return true;
        }
        Check.Fail<M> fail = (Check.Fail<M>) check;
        if (fail.nearMiss()) {
            skips.add(new RuleSkip(rule.name(), n, fail.reason()));
        }
        return false;
    }

    private static String key(Node n) {
        return n.isDefaultDomain() ? n.opType() : n.domain() + "::" + n.opType();
    }
}
