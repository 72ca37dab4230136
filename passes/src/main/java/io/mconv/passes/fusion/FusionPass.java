package io.mconv.passes.fusion;

import io.mconv.ir.Model;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.RewriteRulePass;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RewriteRulePass} that sweeps until its rules find nothing more (so one run reaches the pass's own fixed
 * point: a fusion can expose another, e.g. Conv→BN→BN), optionally after running shape inference so checks can
 * ask for ranks. Only the last sweep's diagnostics are kept: they are the candidates left alone, with reasons.
 */
class FusionPass extends RewriteRulePass {

    /** More sweeps than any real chain of fusions needs; the cap only guards against a rule that never settles. */
    static final int MAX_SWEEPS = 64;

    private final boolean needsShapes;

    FusionPass(String name, String description, OptimizationLevel level, boolean needsShapes,
               List<RewriteRule<?>> rules) {
        super(name, description, level, rules);
        this.needsShapes = needsShapes;
    }

    @Override
    protected boolean needsShapes() {
        return needsShapes;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int total = 0;
        PassResult last = PassResult.unchanged();
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            PassResult r = super.run(model, context);
            last = r;
            total += r.rewrites();
            if (!r.modified()) {
                break;
            }
        }
        return new PassResult(total, last.notes(), last.skips());
    }
}
