package io.mconv.passes.rewrite;

import io.mconv.ir.Node;
import java.util.Set;

/**
 * A local rewrite anchored at one node. {@link #check} inspects the neighbourhood without changing anything and
 * either returns what it matched or why not; {@link #rewrite} then changes the graph only through the
 * {@link Rewriter}. Rules check what real models break: fan-out of an intermediate, an intermediate that is also a
 * graph output, an initializer shared with other nodes, and whether the ops they emit exist at the model's opset
 * (asked of the schema registry through {@link RuleContext#opsetHas}, never a literal version list).
 *
 * @param <M> what the check hands to the rewrite
 */
public interface RewriteRule<M> {

    String name();

    /** Op types (default domain unless qualified as {@code domain::Op}) a root node may have. */
    Set<String> rootOpTypes();

    Check<M> check(Node root, RuleContext context);

    void rewrite(M match, Rewriter rewriter);
}
