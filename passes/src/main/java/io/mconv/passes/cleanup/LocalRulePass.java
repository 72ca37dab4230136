package io.mconv.passes.cleanup;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.RuleSkip;
import io.mconv.passes.rewrite.Check;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.RewriteRulePass;
import io.mconv.passes.rewrite.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Like {@link io.mconv.passes.rewrite.RewriteRulePass}, with two differences the cleanup passes need to reach their
 * fixed point in one run: a root that a rule rewrote in place is offered to the rules again (a chain of three
 * Transposes folds into one at the last node), and shape inference can run first for rules that need shapes.
 * Every graph is visited (subgraphs and function bodies included), nodes in order. As there, a check's near miss is
 * kept as a {@link RuleSkip} and a node that is not the pattern at all ({@link Check#noMatch}) leaves nothing.
 */
class LocalRulePass implements Pass {

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
        List<RuleSkip> skips = new ArrayList<>();
        for (Graph g : Graphs.all(model)) {
            RuleContext ctx = new RuleContext(context, g);
            for (Node n : g) {
                int applied = 0;
                boolean again = true;
                while (again && n.graph() == g && applied < MAX_REWRITES_PER_ROOT) {
                    again = false;
                    for (RewriteRule<?> rule : rules) {
                        if (rule.rootOpTypes().contains(key(n)) && RewriteRulePass.apply(rule, n, ctx, g, skips)) {
                            applied++;
                            again = true;
                            break;
                        }
                    }
                }
                rewrites += applied;
            }
        }
        return new PassResult(rewrites, List.of(), skips);
    }

    private static String key(Node n) {
        return n.isDefaultDomain() ? n.opType() : n.domain() + "::" + n.opType();
    }
}
