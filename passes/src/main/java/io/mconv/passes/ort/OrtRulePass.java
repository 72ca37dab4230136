package io.mconv.passes.ort;

import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Target;
import io.mconv.passes.rewrite.RewriteRule;
import io.mconv.passes.rewrite.RewriteRulePass;
import io.mconv.shape.ShapeInference;
import java.util.EnumSet;
import java.util.List;

/**
 * A rule pass of the ORT family: target {@code ort} only, level AGGRESSIVE, and it types the model first
 * ({@link ShapeInference}, which only fills in missing types) because the contrib kernels are checked for
 * float32 and some rules need a rank or a last dimension. Walks every graph like {@link RewriteRulePass}.
 */
class OrtRulePass extends RewriteRulePass {

    OrtRulePass(String name, String description, List<RewriteRule<?>> rules) {
        super(name, description, OptimizationLevel.AGGRESSIVE, EnumSet.of(Target.ORT), rules);
    }

    @Override
    protected boolean needsShapes() {
        return true;
    }
}
