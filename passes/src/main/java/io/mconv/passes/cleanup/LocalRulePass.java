package io.mconv.passes.cleanup;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.Rewriter;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Like {@link io.mconv.passes.rewrite.RewriteRulePass}, with two differences the cleanup passes need to reach their
 * fixed point in one run: a root that a rule rewrote in place is offered to the rules again (a chain of three
 * Transposes folds into one at the last node), and shape inference can run first for rules that need shapes.
 * Every graph is visited (subgraphs and function bodies included), nodes in order. A check that fails with
 * {@link #NO_MATCH} (the node is not the pattern at all) leaves no diagnostic; other reasons do.
 */
class LocalRulePass implements Pass {

    /** The reason a check gives when the node is not an instance of the pattern (kept out of the diagnostics). */
    static final String NO_MATCH = "no match";

    private static final int MAX_REWRITES_PER_ROOT = 64;

    private final String name;
    private final String description;
    private final boolean needsShapes;
    private final List<RewriteRule<?>> rules;

    LocalRulePass(String name, String description, boolean needsShapes, List<RewriteRule<?>> rules) {
        this.name = name;
        this.description = description;
        this.needsShapes = needsShapes;
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
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        if (needsShapes) {
            CleanupSupport.inferShapes(model, context);
        }
        int rewrites = 0;
        List<String> diagnostics = new ArrayList<>();
        for (Graph g : Graphs.all(model)) {
            RuleContext ctx = new RuleContext(context, g);
            for (Node n : g) {
                int applied = 0;
                boolean again = true;
                while (again && n.graph() == g && applied < MAX_REWRITES_PER_ROOT) {
                    again = false;
                    for (RewriteRule<?> rule : rules) {
                        if (rule.rootOpTypes().contains(key(n)) && apply(rule, n, ctx, g, diagnostics)) {
                            applied++;
                            again = true;
                            break;
                        }
                    }
                }
                rewrites += applied;
            }
        }
        return new PassResult(rewrites, diagnostics);
    }

    private static <M> boolean apply(RewriteRule<M> rule, Node n, RuleContext ctx, Graph g, List<String> diagnostics) {
        Check<M> check = rule.check(n, ctx);
        if (check instanceof Check.Ok<M> ok) {
            rule.rewrite(ok.match(), new Rewriter(g, n));
            return true;
        }
        String reason = ((Check.Fail<M>) check).reason();
        if (!NO_MATCH.equals(reason)) {
            diagnostics.add(rule.name() + " skipped " + n + ": " + reason);
        }
        return false;
    }

    private static String key(Node n) {
        return n.isDefaultDomain() ? n.opType() : n.domain() + "::" + n.opType();
    }
}
