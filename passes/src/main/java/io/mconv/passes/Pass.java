package io.mconv.passes;

import io.mconv.ir.Model;
import java.util.EnumSet;
import java.util.Set;

/**
 * One graph transformation. A pass is stateless: it reads what it needs from the {@link PassContext}, changes the
 * model in place and reports how many rewrites it made. It must leave the model valid (the verifier holds) and
 * computing the same outputs, and it must reach its own fixed point: running it twice in a row reports zero
 * rewrites the second time. Passes recurse into subgraphs (If/Loop/Scan bodies) or say in their documentation why
 * they do not.
 */
public interface Pass {

    /** Kebab-case name users type in {@code --passes} and {@code --disable}: {@code fuse-conv-bn}. */
    String name();

    /** One line for {@code mconv passes}. */
    String description();

    /** The lowest optimization level this pass runs at. */
    OptimizationLevel level();

    /** The targets this pass may run for (contrib-op fusions are ORT only). */
    default Set<Target> targets() {
        return EnumSet.allOf(Target.class);
    }

    PassResult run(Model model, PassContext context);
}
